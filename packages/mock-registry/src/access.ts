import bcrypt from 'bcryptjs';
import { IpRanges, type IpAddress } from '@regevents/config';
import { RegistryError } from './errors.js';


export type RepositoryAction = 'pull' | 'push' | 'delete';

/**
 * Grants actions on repositories whose name matches `repository`: an exact name, `prefix/*`
 * (everything below the prefix) or `*`. `users` omitted means everyone, anonymous included;
 * `'*'` means any authenticated user.
 */
export interface AccessRule {
  repository: string;
  actions: (RepositoryAction | '*')[];
  users?: string[] | '*';
}

export interface BasicAuthOptions {
  type: 'basic';
  realm?: string;
  /** Plain user → password pairs. */
  users?: Record<string, string>;
  /** The text of an htpasswd file (bcrypt entries, as `htpasswd -B` writes and the registry requires). */
  htpasswd?: string;
  /** Default: any authenticated user may do anything; anonymous users nothing. */
  rules?: AccessRule[];
}

export interface BearerAuthOptions extends Omit<BasicAuthOptions, 'type' | 'realm'> {
  type: 'bearer';
  /** Token endpoint URL; default `<baseUrl>/token` (served by the mock). */
  realm?: string;
  service?: string;
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number;
}

export type AuthOptions = { type: 'none' } | BasicAuthOptions | BearerAuthOptions;

/** One access the request needs, as a token scope names it. */
export interface Scope {
  type: 'repository' | 'registry';
  name: string;
  actions: string[];
}

export interface Identity {
  /** Undefined for anonymous requests. */
  user?: string;
}

const ALL_RULE: AccessRule = { repository: '*', actions: ['*'], users: '*' };

function matches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('/*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function parseHtpasswd(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) throw new TypeError(`htpasswd: malformed line "${trimmed}"`);
    const hash = trimmed.slice(colon + 1);
    if (!/^\$2[aby]?\$/.test(hash)) throw new TypeError(`htpasswd: user "${trimmed.slice(0, colon)}" is not bcrypt (use htpasswd -B)`);
    entries.set(trimmed.slice(0, colon), hash);
  }
  return entries;
}

function decodeBasic(header: string | null): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1] as string);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks user names and passwords, and what each identity may do. */
export class AccessPolicy {
  readonly #plain: Map<string, string>;
  readonly #hashed: Map<string, string>;
  readonly #rules: AccessRule[];
  #dummy: Promise<string> | undefined;

  constructor(options: Omit<BasicAuthOptions, 'type' | 'realm'>) {
    this.#plain = new Map(Object.entries(options.users ?? {}));
    this.#hashed = options.htpasswd ? parseHtpasswd(options.htpasswd) : new Map();
    this.#rules = options.rules ?? [ALL_RULE];
  }

  /** The identity behind Basic credentials: undefined when absent, null when wrong. */
  async authenticate(authorization: string | null): Promise<Identity | null | undefined> {
    const credentials = decodeBasic(authorization);
    if (!credentials) return undefined;
    const plain = this.#plain.get(credentials.user);
    if (plain !== undefined) return plain === credentials.password ? { user: credentials.user } : null;
    const hash = this.#hashed.get(credentials.user);
    if (hash === undefined) {
      // An unknown user costs the same bcrypt comparison as a known one, so timing tells no names.
      if (this.#hashed.size > 0) await bcrypt.compare(credentials.password, await this.#dummyHash());
      return null;
    }
    return (await bcrypt.compare(credentials.password, hash)) ? { user: credentials.user } : null;
  }

  /** A hash of no one's password at the highest cost the file uses, made once. */
  #dummyHash(): Promise<string> {
    const rounds = Math.max(...[...this.#hashed.values()].map((hash) => bcrypt.getRounds(hash)));
    this.#dummy ??= bcrypt.hash(crypto.randomUUID(), rounds);
    return this.#dummy;
  }

  /** The actions of `scope` this identity may perform. */
  grant(identity: Identity, scope: Scope): string[] {
    if (scope.type === 'registry') return identity.user ? scope.actions : [];
    const allowed = new Set<string>();
    for (const rule of this.#rules) {
      if (!matches(rule.repository, scope.name)) continue;
      const forUser = rule.users === undefined || (identity.user !== undefined && (rule.users === '*' || rule.users.includes(identity.user)));
      if (!forUser) continue;
      for (const action of rule.actions) {
        if (action === '*') for (const a of scope.actions) allowed.add(a);
        else allowed.add(action);
      }
    }
    return scope.actions.filter((action) => allowed.has(action));
  }

  allows(identity: Identity, scopes: Scope[]): boolean {
    return scopes.every((scope) => this.grant(identity, scope).length === scope.actions.length);
  }
}

/** Formats a scope the way `WWW-Authenticate` and token requests carry it. */
export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(',')}`;
}

export function parseScope(text: string): Scope | undefined {
  const last = text.lastIndexOf(':');
  const first = text.indexOf(':');
  if (first < 0 || last === first) return undefined;
  const type = text.slice(0, first);
  if (type !== 'repository' && type !== 'registry') return undefined;
  return { type, name: text.slice(first + 1, last), actions: text.slice(last + 1).split(',').filter(Boolean) };
}

/** Client-IP allowlist (CIDRs or single addresses); an empty list allows everyone. */
export class ClientAllowlist {
  readonly #ranges: IpRanges;

  constructor(cidrs: string[]) {
    this.#ranges = new IpRanges(cidrs, 'allowedClients');
  }

  /** Throws DENIED unless the client is in a listed range; `shownAs` is the peer the error names. */
  check(client: IpAddress | undefined, shownAs: string): void {
    if (this.#ranges.size === 0) return;
    if (!client || !this.#ranges.includes(client)) throw new RegistryError('DENIED', { detail: { client: shownAs } });
  }
}
