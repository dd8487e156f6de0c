import { RECONCILE_USER_AGENT, type Consumer, type ImagePush } from '@regevents/relay';
import type { Replicator, StatusChange } from '@regevents/replication';
import type { Io } from '../output.js';

const shortDigest = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);
const clockTime = (date: Date) => date.toISOString().slice(11, 23);

interface StoryItem {
  /** Orders what concurrent consumers printed within one step: images, then each job's transitions. */
  key: string;
  text: string;
  json: Record<string, unknown>;
}

/**
 * What the demo's consumers see, printed step by step. Consumers run concurrently, so each step's
 * lines are held until the step settles and then printed in a stable order (an image, then its
 * job's transitions), which keeps the output the same from run to run.
 */
export class DemoStory {
  readonly #io: Io;
  readonly #json: boolean;
  #pending: StoryItem[] = [];
  #sequence = 0;
  readonly images: ImagePush[] = [];
  readonly statuses: StatusChange[] = [];

  constructor(io: Io, json: boolean) {
    this.#io = io;
    this.#json = json;
  }

  /** Narration: stdout for people, stderr under --json so stdout stays one JSON value a line. */
  say(line: string): void {
    if (this.#json) this.#io.err(line);
    else this.#io.out(line);
  }

  /** A result of its own (not a consumer's): printed at once. */
  record(type: string, text: string, json: Record<string, unknown>): void {
    if (this.#json) this.#io.out(JSON.stringify({ type, ...json }));
    else this.#io.out(text);
  }

  image(image: ImagePush): void {
    this.images.push(image);
    const origin = image.event.request.useragent === RECONCILE_USER_AGENT ? ' (reconcile)' : '';
    const platforms = image.platforms ? ` ${image.platforms.map((p) => `${p.os}/${p.architecture}`).join(',')}` : '';
    this.#pending.push({
      key: `${image.repository}:${image.tag} 0 ${this.#next()}`,
      text: `  ${clockTime(new Date(image.event.timestamp))} image.pushed ${image.repository}:${image.tag} ${shortDigest(image.digest)} ${image.blobs.length} blobs${platforms}${origin}`,
      json: { type: 'image.pushed', repository: image.repository, tag: image.tag, digest: image.digest, blobs: image.blobs.length, platforms: image.platforms, reconciled: origin !== '' },
    });
  }

  status(change: StatusChange): void {
    this.statuses.push(change);
    const reference = `${change.data.repository}:${change.data.tag ?? change.data.digest ?? ''}`;
    this.#pending.push({
      key: `${reference} 1 ${this.#next()}`,
      text: `  ${clockTime(change.at)} replication ${change.data.action} ${reference} to ${change.target.name}: ${change.status}${change.error ? ` ${change.error}` : ''}`,
      json: { type: 'replication.status', policy: change.policy.name, target: change.target.name, action: change.data.action, repository: change.data.repository, tag: change.data.tag, status: change.status },
    });
  }

  /** Waits until the relay's consumers and the replication queue have nothing left, then prints the step. */
  async settle(consumers: Consumer[], replicator: Replicator): Promise<void> {
    await Promise.all(consumers.map((consumer) => consumer.idle()));
    while ((await replicator.jobs()).some((job) => job.state !== 'completed' && job.state !== 'failed')) await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all(consumers.map((consumer) => consumer.idle()));
    const items = this.#pending.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    this.#pending = [];
    for (const item of items) {
      if (this.#json) this.#io.out(JSON.stringify(item.json));
      else this.#io.out(item.text);
    }
  }

  #next(): string {
    this.#sequence += 1;
    return String(this.#sequence).padStart(6, '0');
  }
}
