import { AccessPolicy, formatScope, parseScope, type AuthOptions, type Identity, type Scope } from './access.js';
import { RegistryError } from './errors.js';
import type { IdGenerator } from './ids.js';
import { goEncode } from './go-json.js';

interface IssuedToken {
  identity: Identity;
  /** scope key (`type:name`) → granted actions */
  grants: Map<string, Set<string>>;
  expiresAt: number;
}

const scopeKey = (scope: Pick<Scope, 'type' | 'name'>) => `${scope.type}:${scope.name}`;

/** An UNAUTHORIZED detail as distribution writes it: one access per action, null for a request that needs none (`GET /v2/`). */
function accessDetail(scopes: Scope[]): unknown {
  const access = scopes.flatMap((scope) => scope.actions.map((action) => ({ Type: scope.type, Class: '', Name: scope.name, Action: action })));
  return access.length > 0 ? access : null;
}

/**
 * Decides who a request comes from and whether it may do what it asks, for the three models
 * registries use: none, Basic (users or htpasswd) and the Docker token flow (401 challenge,
 * token endpoint, scoped bearer tokens). Per-repository rules apply to Basic and Bearer alike.
 */
export class AuthGate {
  readonly #options: AuthOptions;
  readonly #policy: AccessPolicy | undefined;
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #newToken: IdGenerator;
  readonly #now: () => number;

  constructor(options: AuthOptions, newToken: IdGenerator, now: () => number) {
    this.#options = options;
    this.#policy = options.type === 'none' ? undefined : new AccessPolicy(options);
    this.#newToken = newToken;
    this.#now = now;
  }

  get usesTokens(): boolean {
    return this.#options.type === 'bearer';
  }

  /** The identity behind the request once it is allowed every scope; throws UNAUTHORIZED or DENIED otherwise. */
  async authorize(request: Request, base: string, scopes: Scope[]): Promise<Identity> {
    const options = this.#options;
    const policy = this.#policy;
    if (options.type === 'none' || !policy) return {};
    if (options.type === 'basic') {
      const identity = await policy.authenticate(request.headers.get('authorization'));
      const realm = options.realm ?? 'registry';
      const challenge = { 'WWW-Authenticate': `Basic realm="${realm}"` };
      if (identity === null) throw new RegistryError('UNAUTHORIZED', { detail: accessDetail(scopes), headers: challenge });
      const who = identity ?? {};
      // The version check (`GET /v2/`) needs no scope but must still challenge anonymous clients:
      // that 401 is how they learn to send credentials.
      if (scopes.length === 0 && !who.user) throw new RegistryError('UNAUTHORIZED', { detail: accessDetail(scopes), headers: challenge });
      if (policy.allows(who, scopes)) return who;
      if (!who.user) throw new RegistryError('UNAUTHORIZED', { detail: accessDetail(scopes), headers: challenge });
      throw new RegistryError('DENIED', { detail: scopes.map(formatScope) });
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const token = bearer ? this.#tokens.get(bearer) : undefined;
    const valid = token && token.expiresAt > this.#now();
    if (valid && scopes.every((scope) => scope.actions.every((action) => token.grants.get(scopeKey(scope))?.has(action)))) return token.identity;
    const realm = options.realm ?? `${base}/token`;
    const service = options.service ?? new URL(base).host;
    let challenge = `Bearer realm="${realm}",service="${service}"`;
    if (scopes.length > 0) challenge += `,scope="${scopes.map(formatScope).join(' ')}"`;
    if (bearer && !valid) challenge += ',error="invalid_token"';
    else if (valid) challenge += ',error="insufficient_scope"';
    throw new RegistryError('UNAUTHORIZED', { detail: accessDetail(scopes), headers: { 'WWW-Authenticate': challenge } });
  }

  /** Whether the rules let this identity pull from a repository (what `/v2/_catalog` lists). */
  mayPull(identity: Identity, repository: string): boolean {
    return !this.#policy || this.#policy.allows(identity, [{ type: 'repository', name: repository, actions: ['pull'] }]);
  }

  /** The token endpoint: Basic credentials optional, each `scope` granted as far as the rules allow. */
  async issueToken(request: Request): Promise<Response> {
    const options = this.#options;
    const policy = this.#policy;
    if (options.type !== 'bearer' || !policy) return new Response('404 page not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    const identity = await policy.authenticate(request.headers.get('authorization'));
    if (identity === null) {
      return new Response(goEncode({ details: 'invalid username or password' }), { status: 401, headers: { 'Content-Type': 'application/json' } });
    }
    const who = identity ?? {};
    const url = new URL(request.url);
    const grants = new Map<string, Set<string>>();
    const access: { type: string; name: string; actions: string[] }[] = [];
    for (const text of url.searchParams.getAll('scope').flatMap((s) => s.split(' '))) {
      const scope = parseScope(text);
      if (!scope) continue;
      const granted = policy.grant(who, scope);
      grants.set(scopeKey(scope), new Set(granted));
      access.push({ type: scope.type, name: scope.name, actions: granted });
    }
    const expiresIn = options.expiresIn ?? 300;
    const token = this.#newToken();
    this.#purgeExpiredTokens();
    this.#tokens.set(token, { identity: who, grants, expiresAt: this.#now() + expiresIn * 1000 });
    const body = { token, access_token: token, expires_in: expiresIn, issued_at: new Date(this.#now()).toISOString(), access };
    return new Response(goEncode(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }

  /** Tokens held (unexpired ones, plus expired ones not yet purged). */
  get heldTokens(): number {
    return this.#tokens.size;
  }

  /** Every token lives `expiresIn`, so insertion order is expiry order: the sweep stops at the first live one. */
  #purgeExpiredTokens(): void {
    const now = this.#now();
    for (const [token, issued] of this.#tokens) {
      if (issued.expiresAt > now) return;
      this.#tokens.delete(token);
    }
  }

  clearTokens(): void {
    this.#tokens.clear();
  }
}
