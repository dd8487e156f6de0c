import type { StorageDriver } from './storage.js';

/** distribution purges uploads older than `storage.maintenance.uploadpurging.age`; the mock's default idle limit is shorter. */
export const DEFAULT_UPLOAD_EXPIRY_MS = 60 * 60 * 1000;

interface Session<T> {
  value: T;
  lastActive: number;
}

/**
 * Open upload sessions, each forgotten (and its stored bytes cancelled) once idle longer than the
 * expiry, so abandoned uploads cannot pile up. The map is kept in order of last activity, so a
 * sweep stops at the first live session.
 */
export class UploadSessions<T> {
  readonly #sessions = new Map<string, Session<T>>();
  readonly #storage: StorageDriver;
  readonly #now: () => number;
  readonly #expiryMs: number;

  constructor(storage: StorageDriver, now: () => number, expiryMs: number) {
    if (!(expiryMs > 0)) throw new TypeError(`uploadExpiryMs must be a positive number of milliseconds, not ${expiryMs}`);
    this.#storage = storage;
    this.#now = now;
    this.#expiryMs = expiryMs;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Registers a new session after purging the expired ones. */
  async open(id: string, value: T): Promise<void> {
    await this.#sweep();
    this.#sessions.set(id, { value, lastActive: this.#now() });
  }

  /** The live session, marked active; undefined when unknown or expired. */
  async use(id: string): Promise<T | undefined> {
    await this.#sweep();
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    this.#sessions.delete(id);
    session.lastActive = this.#now();
    this.#sessions.set(id, session);
    return session.value;
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }

  clear(): void {
    this.#sessions.clear();
  }

  async #sweep(): Promise<void> {
    const cutoff = this.#now() - this.#expiryMs;
    for (const [id, session] of this.#sessions) {
      if (session.lastActive > cutoff) return;
      this.#sessions.delete(id);
      await this.#storage.cancelUpload(id);
    }
  }
}
