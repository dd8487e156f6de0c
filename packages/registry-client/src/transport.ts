import type { Authenticator } from './auth.js';
import { parseJson, readText } from './body.js';
import { ConnectionError, RegistryClientError, RegistryError, TimeoutError, type RegistryErrorEntry } from './errors.js';
import { scopesFor, type Scope } from './scope.js';
import { pauseBeforeRetry, retryPauseMs } from './sleep.js';

export interface RetryOptions {
  /** Retries after a 429, 502, 503 or 504 (or a network error on a request that can be replayed). Default 3. */
  attempts?: number;
  /** The longest wait the client accepts; a longer `Retry-After` fails at once. Default 10 000 ms. */
  maxDelayMs?: number;
}

export interface TransportOptions {
  baseUrl: string;
  fetch: typeof fetch;
  userAgent: string;
  headers: Record<string, string>;
  authenticator: Authenticator;
  retry: Required<RetryOptions>;
  timeoutMs: number;
}

export type RequestBody = Uint8Array | Blob | ReadableStream<Uint8Array>;

export interface SendOptions {
  method: string;
  /** A path below the base URL (`/v2/...`) or an absolute URL the registry gave (an upload `Location`). */
  url: string | URL;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Statuses handed back to the caller; any other is a `RegistryError`. */
  ok: number[];
  signal?: AbortSignal | undefined;
  /** Told the bytes of a streamed body the server has taken so far. */
  onBodyProgress?: ((bytes: number) => void) | undefined;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const MAX_ERROR_BODY = 64 * 1024;

/** Fires `onTimeout` when `kick` is not called for `ms`; for waits on a server that may never answer. */
class Watchdog {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ms: number,
    readonly onTimeout: () => void,
  ) {}

  kick(): void {
    this.stop();
    this.#timer = setTimeout(this.onTimeout, this.ms);
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describe(method: string, url: URL): string {
  // Upload locations carry opaque `_state` blobs: long and meaningless in a message.
  const query = url.search.length > 120 ? `${url.search.slice(0, 60)}…` : url.search;
  return `${method} ${url.pathname}${query}`;
}

async function registryError(response: Response, method: string, url: URL): Promise<RegistryError> {
  const text = method === 'HEAD' ? '' : await readText(response, MAX_ERROR_BODY, `error body of ${describe(method, url)}`).catch(() => '');
  const body = parseJson(text) as { errors?: unknown } | undefined;
  const errors = Array.isArray(body?.errors)
    ? (body.errors as unknown[]).flatMap((entry): RegistryErrorEntry[] => {
        if (typeof entry !== 'object' || entry === null || typeof (entry as { code?: unknown }).code !== 'string') return [];
        const { code, message, detail } = entry as { code: string; message?: unknown; detail?: unknown };
        return [{ code, ...(typeof message === 'string' ? { message } : {}), ...(detail === undefined ? {} : { detail }) }];
      })
    : [];
  return new RegistryError({ status: response.status, method, path: `${url.pathname}${url.search}`.slice(0, 300), errors, text: errors.length ? undefined : text });
}

/**
 * Sends registry requests: base URL, User-Agent, static headers and credentials (same origin
 * only, so a redirect or a foreign upload `Location` never gets them), one retry after a 401
 * with fresh credentials, bounded retries on 429/5xx honouring `Retry-After`, and a watchdog
 * that ends any wait for the server (headers or the next body chunk) after `timeoutMs`.
 */
export class Transport {
  readonly #options: TransportOptions;
  readonly origin: string;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.origin = new URL(options.baseUrl).origin;
  }

  get userAgent(): string {
    return this.#options.userAgent;
  }

  resolve(url: string | URL): URL {
    return new URL(url, `${this.origin}/`);
  }

  async send(options: SendOptions): Promise<Response> {
    const url = this.resolve(options.url);
    const scopes = scopesFor(options.method, url);
    const replayable = !(options.body instanceof ReadableStream);
    // A PATCH that failed half-way may have appended bytes: the upload resumes from the server's Range instead.
    const retriable = replayable && options.method !== 'PATCH';
    let retryScopes: Scope[] | undefined;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#attempt(options, url, retryScopes ?? scopes);
      } catch (error) {
        const network = error instanceof ConnectionError && !options.signal?.aborted;
        if (!network || !retriable || attempt >= this.#options.retry.attempts) throw error;
        await pauseBeforeRetry(retryPauseMs(attempt), options.signal);
        continue;
      }
      if (options.ok.includes(response.status)) return response;
      if (response.status === 401 && !reauthenticated && replayable && url.origin === this.origin) {
        reauthenticated = true;
        retryScopes = await this.#options.authenticator.challenged(response, scopes, options.signal);
        if (retryScopes) {
          await response.body?.cancel();
          attempt--;
          continue;
        }
      }
      if (RETRY_STATUSES.has(response.status) && retriable && attempt < this.#options.retry.attempts) {
        const delay = retryAfterMs(response.headers.get('retry-after')) ?? retryPauseMs(attempt);
        if (delay <= this.#options.retry.maxDelayMs) {
          await response.body?.cancel();
          await pauseBeforeRetry(delay, options.signal);
          continue;
        }
      }
      throw await registryError(response, options.method, url);
    }
  }

  async #attempt(options: SendOptions, url: URL, scopes: Scope[]): Promise<Response> {
    const sameOrigin = url.origin === this.origin;
    const headers = new Headers(sameOrigin ? this.#options.headers : {});
    headers.set('User-Agent', this.#options.userAgent);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (sameOrigin) {
      const authorization = await this.#options.authenticator.authorization(scopes, options.signal);
      if (authorization) headers.set('Authorization', authorization);
    }
    const controller = new AbortController();
    const what = describe(options.method, url);
    const watchdog = new Watchdog(this.#options.timeoutMs, () => controller.abort(new TimeoutError(what, this.#options.timeoutMs)));
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const reason = (error: unknown): unknown => (controller.signal.aborted ? controller.signal.reason : options.signal?.aborted ? options.signal.reason : error);
    const body = options.body instanceof ReadableStream ? watchedUpload(options.body, watchdog, options.onBodyProgress) : options.body;
    watchdog.kick();
    let response: Response;
    try {
      response = await this.#options.fetch(url, { method: options.method, headers, body: body as BodyInit | undefined, signal, redirect: 'follow', duplex: 'half' } as RequestInit);
    } catch (error) {
      watchdog.stop();
      const cause = reason(error);
      if (cause instanceof RegistryClientError || cause === options.signal?.reason) throw cause;
      // fetch wraps the error of a request body stream (a truncated or altered source blob): that error is the story.
      const fromBody = (cause as { cause?: unknown } | undefined)?.cause;
      if (fromBody instanceof RegistryClientError) throw fromBody;
      throw new ConnectionError(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    watchdog.stop();
    if (!response.body) return response;
    const broken = (error: unknown): unknown => {
      const cause = reason(error);
      return cause instanceof RegistryClientError || cause === options.signal?.reason ? cause : new ConnectionError(`${what}: the connection broke while reading the body`, { cause });
    };
    return new Response(watchedDownload(response.body, watchdog, broken), { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}

/** Chunks read ahead of the consumer: enough to keep a GET-to-PUT pipe busy, little memory (undici reads up to 64 KiB at a time). */
const READ_AHEAD = new CountQueuingStrategy({ highWaterMark: 8 });

/** The response body, with the watchdog running only while the stream waits for the server. */
function watchedDownload(body: ReadableStream<Uint8Array>, watchdog: Watchdog, reason: (error: unknown) => unknown): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        watchdog.kick();
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(reason(error));
        } finally {
          watchdog.stop();
        }
      },
      cancel: (why) => reader.cancel(why),
    },
    READ_AHEAD,
  );
}

/** A request body whose every pull by fetch (the server taking bytes) restarts the watchdog. */
function watchedUpload(body: ReadableStream<Uint8Array>, watchdog: Watchdog, onProgress: ((bytes: number) => void) | undefined): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        watchdog.stop();
        const { done, value } = await reader.read();
        watchdog.kick();
        if (done) return controller.close();
        controller.enqueue(value);
        sent += value.byteLength;
        onProgress?.(sent);
      },
      cancel: (why) => reader.cancel(why),
    },
    { highWaterMark: 0 },
  );
}
