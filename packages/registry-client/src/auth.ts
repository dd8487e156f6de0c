import { parseJson, readText } from './body.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { AuthenticationError } from './errors.js';
import { formatScope, mergeScopes, parseScopes, type Scope } from './scope.js';

/** User name and password (Basic, or exchanged for bearer tokens at the registry's token endpoint). */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** A token sent as `Authorization: Bearer …` on every request, for registries that hand them out some other way. */
export interface StaticToken {
  token: string;
}

export type RegistryAuth = BasicCredentials | StaticToken;

interface CachedToken {
  token: string;
  expiresAt: number;
}

const MAX_TOKEN_RESPONSE = 1024 * 1024;
/** Tokens are renewed this long before they expire, so one does not run out in flight. */
const EXPIRY_MARGIN_MS = 5_000;
/** The token spec's default lifetime when `expires_in` is absent. */
const DEFAULT_TOKEN_SECONDS = 60;

export interface AuthenticatorOptions {
  auth: RegistryAuth | undefined;
  fetch: typeof fetch;
  userAgent: string;
  now?: () => number;
}

/**
 * Decides the `Authorization` header of each request. Anonymous and Basic registries need no
 * round trip; a `Bearer` challenge switches to the token flow: a token per set of scopes is
 * fetched from the realm (with Basic credentials when there are some), cached until it expires,
 * and replaced once when the registry refuses it. Credentials live in private fields only.
 */
export class Authenticator {
  readonly #auth: RegistryAuth | undefined;
  readonly #fetch: typeof fetch;
  readonly #userAgent: string;
  readonly #now: () => number;
  #bearer: { realm: string; service: string | undefined } | undefined;
  readonly #tokens = new Map<string, Promise<CachedToken>>();

  constructor(options: AuthenticatorOptions) {
    this.#auth = options.auth;
    this.#fetch = options.fetch;
    this.#userAgent = options.userAgent;
    this.#now = options.now ?? Date.now;
  }

  #basicHeader(): string | undefined {
    const auth = this.#auth;
    if (!auth || !('username' in auth)) return undefined;
    const bytes = new TextEncoder().encode(`${auth.username}:${auth.password}`);
    return `Basic ${btoa(String.fromCharCode(...bytes))}`;
  }

  /** The header for a request that needs `scopes`, fetching a token first when the registry uses them. */
  async authorization(scopes: Scope[], signal?: AbortSignal): Promise<string | undefined> {
    if (this.#auth && 'token' in this.#auth) return `Bearer ${this.#auth.token}`;
    if (!this.#bearer) return this.#basicHeader();
    return `Bearer ${(await this.#token(mergeScopes(scopes), signal)).token}`;
  }

  /**
   * Learns from a 401: returns the scopes to retry with when fresh credentials can succeed (a
   * first bearer challenge, or a token that must be replaced), undefined when retrying would
   * only repeat the refusal.
   */
  async challenged(response: Response, scopes: Scope[], signal?: AbortSignal): Promise<Scope[] | undefined> {
    if (this.#auth && 'token' in this.#auth) return undefined;
    const challenge = parseChallenges(response.headers.get('www-authenticate') ?? '').find((c) => c.scheme === 'bearer');
    const realm = challenge?.params.realm;
    if (!challenge || !realm) return undefined;
    this.#bearer = { realm, service: challenge.params.service };
    const wanted = mergeScopes(scopes, parseScopes(challenge.params.scope ?? ''));
    this.#tokens.delete(scopeKey(wanted));
    await this.#token(wanted, signal);
    return wanted;
  }

  async #token(scopes: Scope[], signal?: AbortSignal): Promise<CachedToken> {
    const key = scopeKey(scopes);
    const cached = this.#tokens.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && token.expiresAt - EXPIRY_MARGIN_MS > this.#now()) return token;
      if (this.#tokens.get(key) === cached) this.#tokens.delete(key);
    }
    const pending = this.#requestToken(scopes, signal);
    this.#tokens.set(key, pending);
    pending.catch(() => this.#tokens.get(key) === pending && this.#tokens.delete(key));
    return pending;
  }

  async #requestToken(scopes: Scope[], signal?: AbortSignal): Promise<CachedToken> {
    const bearer = this.#bearer as { realm: string; service: string | undefined };
    let url: URL;
    try {
      url = new URL(bearer.realm);
    } catch {
      throw new AuthenticationError(`the registry's token realm "${bearer.realm.slice(0, 200)}" is not a URL`);
    }
    if (bearer.service) url.searchParams.set('service', bearer.service);
    for (const scope of scopes) url.searchParams.append('scope', formatScope(scope));
    const headers: Record<string, string> = { 'User-Agent': this.#userAgent, Accept: 'application/json' };
    const basic = this.#basicHeader();
    if (basic && this.#auth && 'username' in this.#auth) {
      headers.Authorization = basic;
      url.searchParams.set('account', this.#auth.username);
    }
    const where = `${url.origin}${url.pathname}`;
    let response: Response;
    try {
      response = await this.#fetch(url, { headers, signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new AuthenticationError(`token request to ${where} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await readText(response, MAX_TOKEN_RESPONSE, `token from ${where}`);
    if (response.status !== 200) throw new AuthenticationError(`token request to ${where} answered ${response.status}`, response.status);
    const body = parseJson(text) as { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown } | undefined;
    const token = typeof body?.token === 'string' ? body.token : typeof body?.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw new AuthenticationError(`token response from ${where} holds no token`);
    const seconds = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    return { token, expiresAt: this.#now() + seconds * 1000 };
  }

  toString(): string {
    return `Authenticator(${this.#auth ? ('token' in this.#auth ? 'static token' : 'basic credentials') : 'anonymous'})`;
  }
}

function scopeKey(scopes: Scope[]): string {
  return scopes.map(formatScope).join(' ');
}


