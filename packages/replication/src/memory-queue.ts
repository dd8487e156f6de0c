import { backoffDelay, PermanentJobError, type JobHandler, type JobLane, type JobQueue, type JobView, type LaneOptions, type ReplicationJobData } from './queue.js';

interface MemoryJob {
  view: JobView;
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

/** A lane in this process: FIFO, `concurrency` at once, a sliding-window rate limit, retries on timers. */
class MemoryLane implements JobLane {
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly ready: string[] = [];
  private readonly starts: number[] = [];
  private handler: JobHandler | undefined;
  private running = 0;
  private rateTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly options: LaneOptions,
  ) {}

  async add(id: string, data: ReplicationJobData): Promise<boolean> {
    if (this.jobs.has(id) || this.closed) return false;
    this.jobs.set(id, { view: { id, lane: this.name, data, state: 'waiting', failures: 0, maxAttempts: this.options.attempts } });
    this.ready.push(id);
    this.pump();
    return true;
  }

  async work(handler: JobHandler): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  async get(id: string): Promise<JobView | undefined> {
    const job = this.jobs.get(id);
    return job && structuredClone(job.view);
  }

  async list(): Promise<JobView[]> {
    return [...this.jobs.values()].map((job) => structuredClone(job.view));
  }

  async retry(id: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || job.view.state !== 'failed') return false;
    job.view = { ...job.view, state: 'waiting', failures: 0 };
    delete job.view.error;
    this.ready.push(id);
    this.pump();
    return true;
  }

  async cancel(match: (data: ReplicationJobData) => boolean): Promise<string[]> {
    const cancelled: string[] = [];
    for (const [id, job] of this.jobs) {
      if (!match(job.view.data)) continue;
      if (job.view.state === 'waiting' || job.view.state === 'delayed') {
        clearTimeout(job.timer);
        this.jobs.delete(id);
        cancelled.push(id);
      } else if (job.view.state === 'active') {
        job.controller?.abort(new PermanentJobError('stopped'));
        cancelled.push(id);
      }
    }
    const remaining = this.ready.filter((id) => this.jobs.has(id));
    this.ready.splice(0, this.ready.length, ...remaining);
    return cancelled;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.rateTimer);
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    while (this.running > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Whether the rate limit lets a job start now; if not, wakes the lane when it will. */
  private mayStart(now: number): boolean {
    const limit = this.options.rateLimit;
    if (!limit) return true;
    while (this.starts.length > 0 && (this.starts[0] as number) <= now - limit.perMs) this.starts.shift();
    if (this.starts.length < limit.max) return true;
    this.rateTimer ??= setTimeout(() => {
      this.rateTimer = undefined;
      this.pump();
    }, (this.starts[0] as number) + limit.perMs - now);
    return false;
  }

  private pump(): void {
    while (this.handler && !this.closed && this.running < this.options.concurrency && this.ready.length > 0 && this.mayStart(Date.now())) {
      const id = this.ready.shift() as string;
      const job = this.jobs.get(id);
      if (!job) continue;
      this.starts.push(Date.now());
      void this.run(job, this.handler);
    }
  }

  private async run(job: MemoryJob, handler: JobHandler): Promise<void> {
    this.running++;
    job.controller = new AbortController();
    job.view.state = 'active';
    try {
      const result = await handler({ id: job.view.id, data: job.view.data, attempt: job.view.failures + 1, maxAttempts: job.view.maxAttempts, signal: job.controller.signal });
      job.view = { ...job.view, state: 'completed', result };
    } catch (error) {
      job.view.failures++;
      job.view.error = error instanceof Error ? error.message : String(error);
      const final = error instanceof PermanentJobError || job.controller.signal.aborted || job.view.failures >= job.view.maxAttempts;
      job.view.state = final ? 'failed' : 'delayed';
      if (!final && !this.closed) {
        job.timer = setTimeout(() => {
          job.view.state = 'waiting';
          this.ready.push(job.view.id);
          this.pump();
        }, backoffDelay(this.options.backoffMs, job.view.failures));
      }
    } finally {
      this.running--;
      this.pump();
    }
  }
}

/** Lanes in this process: the same semantics as BullMQ's, but nothing outlives the process. */
export function createMemoryQueue(): JobQueue {
  const lanes = new Map<string, MemoryLane>();
  return {
    lane(name, options) {
      let lane = lanes.get(name);
      if (!lane) {
        lane = new MemoryLane(name, options);
        lanes.set(name, lane);
      }
      return lane;
    },
    async close() {
      await Promise.all([...lanes.values()].map((lane) => lane.close()));
    },
  };
}
