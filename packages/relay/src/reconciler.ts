import { RelayConfigError } from './errors.js';
import { checkReconcileOptions, reconcile, type ReconcileOptions, type ReconcileResult } from './reconcile.js';

export interface ReconcilerOptions extends Omit<ReconcileOptions, 'signal' | 'after' | 'onProgress'> {
  /** Reconcile again this many milliseconds after each run ends. Default: only on start and on demand. */
  every?: number;
  onResult?: (result: ReconcileResult) => void;
  /** A run that failed (the registry or the log unreachable); the next one goes ahead on schedule. Default: console.error. */
  onError?: (error: unknown) => void;
}

export interface Reconciler {
  /** Reconciles now, or joins the run under way. */
  run(): Promise<ReconcileResult>;
  /** Cancels the schedule and the run under way. */
  stop(): Promise<void>;
}

/** Reconciles at once (on start), then every `every` ms, and on demand through `run()`; runs never overlap. */
export function startReconciler(options: ReconcilerOptions): Reconciler {
  const { every, onResult, onError = (error) => console.error('[@regevents/relay] reconciliation failed:', error), ...reconcileOptions } = options;
  if (every !== undefined && !(Number.isFinite(every) && every > 0)) throw new RelayConfigError('every must be a positive number of milliseconds');
  checkReconcileOptions(reconcileOptions);
  const controller = new AbortController();
  let current: Promise<ReconcileResult> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function schedule(): void {
    if (every === undefined || controller.signal.aborted) return;
    timer = setTimeout(() => void run().catch(() => undefined), every);
  }

  function run(): Promise<ReconcileResult> {
    if (controller.signal.aborted) return Promise.reject(new RelayConfigError('the reconciler was stopped'));
    clearTimeout(timer);
    current ??= reconcile({ ...reconcileOptions, signal: controller.signal })
      .then((result) => {
        onResult?.(result);
        return result;
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) onError(error);
        throw error;
      })
      .finally(() => {
        current = undefined;
        schedule();
      });
    return current;
  }

  void run().catch(() => undefined);
  return {
    run,
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await current?.catch(() => undefined);
    },
  };
}
