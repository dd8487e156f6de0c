import { createSign, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveOnLoopback } from './loopback.js';
import { run } from './process.js';

/** Grants `actions` on repositories named `repository` (exact, `prefix/*` or `*`) to `users` (omitted: everyone, anonymous too; `'*'`: any authenticated user). */
export interface TokenRule {
  repository: string;
  actions: string[];
  users?: string[] | '*';
}

export interface TokenServerOptions {
  /** user → password for Basic credentials on token requests. */
  users?: Record<string, string>;
  /** Default: authenticated users may do anything, anonymous ones nothing. */
  rules?: TokenRule[];
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number;
}

/** One token request as the server saw it. */
export interface TokenRequest {
  account: string | undefined;
  scopes: string[];
  /** What the token granted, `type:name:actions` per scope. */
  granted: string[];
  status: number;
}

export interface RunningTokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The registry's `auth:` block for this issuer (`auth.token` with realm, service, issuer, rootcertbundle). */
  registryAuth: { token: { realm: string; service: string; issuer: string; rootcertbundle: string } };
  requests: TokenRequest[];
  close(): Promise<void>;
}

const SERVICE = 'regevents-registry';
const ISSUER = 'regevents-token-issuer';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function matches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('/*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function credentialsOf(req: IncomingMessage): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

function grant(rules: TokenRule[], user: string | undefined, scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const wanted = scope.slice(last + 1).split(',').filter(Boolean);
  if (type === 'registry') return { type, name, actions: user ? wanted : [] };
  const allowed = new Set<string>();
  for (const rule of rules) {
    if (!matches(rule.repository, name)) continue;
    if (rule.users !== undefined && (user === undefined || (rule.users !== '*' && !rule.users.includes(user)))) continue;
    for (const action of rule.actions) allowed.add(action);
  }
  return { type, name, actions: wanted.filter((action) => allowed.has('*') || allowed.has(action)) };
}

/**
 * A Docker token server for the real registry's `auth.token`: its own RSA key and self-signed
 * certificate (made with openssl), RS256 JWTs carrying the certificate in `x5c`, `aud` = the
 * service, and an `access` claim granted by per-repository rules, as docker-registry verifies them.
 */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<RunningTokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'regevents-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${ISSUER}`]);
  const key = await readFile(keyPath, 'utf8');
  const certificate = (await readFile(certPath, 'utf8')).replace(/-----[^-]+-----|\s/g, '');
  const rules = options.rules ?? [{ repository: '*', actions: ['*'], users: '*' }];
  const users = options.users ?? {};
  const requests: TokenRequest[] = [];

  const sign = (subject: string, access: Access[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [certificate] }));
    const claims = { iss: ISSUER, sub: subject, aud: SERVICE, exp: now + (options.expiresIn ?? 300), nbf: now - 10, iat: now, jti: randomUUID(), access };
    const payload = `${header}.${base64url(JSON.stringify(claims))}`;
    return `${payload}.${createSign('RSA-SHA256').update(payload).sign(key).toString('base64url')}`;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://token.local');
    const scopes = url.searchParams.getAll('scope').flatMap((scope) => scope.split(' ')).filter(Boolean);
    const credentials = credentialsOf(req);
    const account = credentials?.user;
    if (credentials && users[credentials.user] !== credentials.password) {
      requests.push({ account, scopes, granted: [], status: 401 });
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'invalid username or password' }));
      return;
    }
    const access = scopes.map((scope) => grant(rules, account, scope)).filter((entry): entry is Access => entry !== undefined);
    const token = sign(account ?? '', access);
    requests.push({ account, scopes, granted: access.map((entry) => `${entry.type}:${entry.name}:${entry.actions.join(',')}`), status: 200 });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: options.expiresIn ?? 300, issued_at: new Date().toISOString() }));
  };

  const server = await serveOnLoopback(handle);
  const realm = `${server.origin}/token`;
  return {
    realm,
    service: SERVICE,
    issuer: ISSUER,
    registryAuth: { token: { realm, service: SERVICE, issuer: ISSUER, rootcertbundle: certPath } },
    requests,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
