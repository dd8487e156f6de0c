import { digestOf } from '@regevents/mock-registry';

/** The response headers registry clients read; everything else (Date, X-Content-Type-Options…) is left out. */
const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'location',
  'range',
  'content-range',
  'etag',
  'docker-content-digest',
  'docker-upload-uuid',
  'docker-distribution-api-version',
  'oci-subject',
  'oci-filters-applied',
  'link',
  'www-authenticate',
] as const;

/** One response, reduced to what two correct registries must agree on. */
export interface Answer {
  request: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const STATE = /_state=[^&]+/g;

/**
 * What two registries legitimately answer differently: their own origin (a port), the upload
 * session's UUID and its signed `_state` token. Only those are replaced, and only where they occur.
 */
export function normaliseUrl(value: string, origins: readonly string[]): string {
  let text = value;
  for (const origin of origins) text = text.split(origin).join('<origin>');
  return text.replace(UUID, '<uuid>').replace(STATE, '_state=<state>');
}

/**
 * docker-registry 2.8.2 builds a token challenge's `scope` from Go maps, so the order of its
 * scopes and of the actions within each changes from one answer to the next (observed: the same
 * mount request is challenged `a:pull,push c:pull`, `a:push,pull c:pull` and `c:pull a:pull,push`).
 * Both orders are sorted; nothing else in the challenge is touched.
 */
export function normaliseChallenge(value: string): string {
  return value.replace(/scope="([^"]*)"/, (_, scopes: string) => {
    const sorted = scopes.split(' ').map((scope) => {
      const colon = scope.lastIndexOf(':');
      return `${scope.slice(0, colon + 1)}${scope.slice(colon + 1).split(',').sort().join(',')}`;
    });
    return `scope="${sorted.sort().join(' ')}"`;
  });
}

interface ErrorBody {
  errors: { code: unknown; message: unknown; detail?: unknown }[];
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && Array.isArray((value as ErrorBody).errors);
}

/** JSON bodies are compared as values (tag order is the filesystem's, so tags are sorted); any other body byte for byte, by digest. */
function normaliseBody(contentType: string, bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  const text = new TextDecoder().decode(bytes);
  if (contentType.startsWith('application/json')) {
    const value: unknown = JSON.parse(text);
    if (isErrorBody(value)) return { errors: value.errors.map(({ code, message, detail }) => ({ code, message, detail })) };
    const tags = (value as { tags?: unknown }).tags;
    if (Array.isArray(tags)) return { ...(value as object), tags: [...(tags as string[])].sort() };
    return value;
  }
  if (contentType.startsWith('text/plain')) return text;
  return `${bytes.length} bytes, ${digestOf(bytes)}`;
}

export function toAnswer(request: string, status: number, headers: Headers, body: Uint8Array, origins: readonly string[]): Answer {
  const compared: Record<string, string> = {};
  for (const name of COMPARED_HEADERS) {
    const value = headers.get(name);
    if (value === null) continue;
    if (name === 'location' || name === 'docker-upload-uuid') compared[name] = normaliseUrl(value, origins);
    else if (name === 'www-authenticate') compared[name] = normaliseChallenge(value);
    else compared[name] = value;
  }
  const answer: Answer = { request: normaliseUrl(request, origins), status, headers: compared };
  const normalisedBody = normaliseBody(headers.get('content-type') ?? '', body);
  if (normalisedBody !== undefined) answer.body = normalisedBody;
  return answer;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/**
 * Raw requests to one registry, in the order a row sends them. `probe` records the answer for the
 * comparison; `setup` prepares state the row needs and throws unless the registry accepted it, so a
 * row fails on what it examines rather than on a preparation the other registry happened to answer alike.
 */
export class ApiSession {
  readonly answers: Answer[] = [];
  readonly #origin: string;
  readonly #defaultHeaders: Record<string, string>;

  /** `defaultHeaders` (credentials, say) go with every request that does not set its own. */
  constructor(origin: string, defaultHeaders: Record<string, string> = {}) {
    this.#origin = origin;
    this.#defaultHeaders = defaultHeaders;
  }

  async #send(method: string, target: string, options: RequestOptions): Promise<{ response: Response; body: Uint8Array }> {
    const url = target.startsWith('http') ? target : `${this.#origin}${target}`;
    const headers = { ...this.#defaultHeaders, ...options.headers };
    const response = await fetch(url, { method, headers, body: options.body, redirect: 'manual' });
    return { response, body: new Uint8Array(await response.arrayBuffer()) };
  }

  /** Sends the request and records its answer; returns the response's headers for the row's next step. */
  async probe(method: string, target: string, options: RequestOptions = {}): Promise<Headers> {
    const { response, body } = await this.#send(method, target, options);
    this.answers.push(toAnswer(`${method} ${target}`, response.status, response.headers, body, [this.#origin]));
    return response.headers;
  }

  async setup(method: string, target: string, options: RequestOptions = {}): Promise<Headers> {
    const { response, body } = await this.#send(method, target, options);
    if (response.status >= 300) throw new Error(`setup ${method} ${target} on ${this.#origin}: ${response.status} ${new TextDecoder().decode(body)}`);
    return response.headers;
  }

  /** Uploads a blob monolithically (POST, then PUT with the digest), the way every client can. */
  async pushBlob(repository: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
    const digest = digestOf(bytes);
    const location = locationOf(await this.setup('POST', `/v2/${repository}/blobs/uploads/`));
    await this.setup('PUT', withQuery(location, `digest=${digest}`), { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    return digest;
  }

  async pushManifest(repository: string, reference: string, manifest: string, mediaType: string): Promise<string> {
    await this.setup('PUT', `/v2/${repository}/manifests/${reference}`, { body: manifest, headers: { 'content-type': mediaType } });
    return digestOf(new TextEncoder().encode(manifest));
  }
}

/** The answers one registry gives to a row's requests. */
export async function answersOf(origin: string, act: (session: ApiSession) => Promise<void>, defaultHeaders: Record<string, string> = {}): Promise<Answer[]> {
  const session = new ApiSession(origin, defaultHeaders);
  await act(session);
  return session.answers;
}

export function locationOf(headers: Headers): string {
  const location = headers.get('location');
  if (!location) throw new Error('the answer has no Location header');
  return location;
}

/** Adds a query parameter to an upload Location, keeping the `_state` it already carries. */
export function withQuery(location: string, parameter: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}${parameter}`;
}
