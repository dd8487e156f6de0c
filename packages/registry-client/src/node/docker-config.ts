import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BasicCredentials } from '../auth.js';
import { isDockerHubHost } from '../docker-hub.js';
import { RegistryClientError } from '../errors.js';

/**
 * An auth file that cannot be used: unreadable, not JSON, an entry that holds no credentials, or
 * the registry's credentials left to a credential helper (`helper` is then true), which this
 * client does not run. Messages name the file and the key, never what an entry holds.
 */
export class AuthFileError extends RegistryClientError {
  constructor(
    message: string,
    readonly helper = false,
  ) {
    super(message);
  }
}

/** What an auth file holds for a registry: nothing, or its entry (`auth` undefined when the entry grants anonymous access only). */
export type AuthFileEntry = { found: false } | { found: true; auth?: BasicCredentials };

export interface AuthFileOptions {
  /** A missing file is an error, not "nothing for this registry" (a file the user named). */
  required?: boolean;
}

/** `host[:port]` of an `auths` key: `127.0.0.1:5000`, `https://registry.example/v1/`, Docker Hub's legacy `https://index.docker.io/v1/`. */
function hostOfKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const [host = '', ...path] = withoutScheme.split('/');
  // a key with a repository path (containers' `registry.example/team`) scopes credentials to part of a
  // registry; the callers read the whole registry, so only registry-wide keys apply
  const registryWide = path.every((segment) => segment === '' || /^v[12]$/.test(segment));
  return registryWide ? host.toLowerCase() : '';
}

const sameRegistry = (a: string, b: string) => a === b || (isDockerHubHost(a) && isDockerHubHost(b));

function decodeBasic(encoded: string): BasicCredentials | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(':');
  return colon < 1 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

async function readDocument(path: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    throw new AuthFileError(`cannot read ${path}: ${code ?? 'unreadable'}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AuthFileError(`${path} is not JSON (an auth file holds {"auths": {...}})`);
  }
}

/**
 * The entry for `host` in a containers auth.json or Docker config.json: `auths` keys by host (any
 * scheme, Docker Hub's aliases alike; keys scoped to a repository path are not used), each with
 * `auth` (base64 of user:password) or `username` and `password`.
 */
export async function authFileCredentials(path: string, host: string, options: AuthFileOptions = {}): Promise<AuthFileEntry> {
  const document = await readDocument(path, options.required ?? false);
  if (document === undefined) return { found: false };
  const { auths, credHelpers, credsStore } = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  const entries = typeof auths === 'object' && auths !== null ? Object.entries(auths as Record<string, unknown>) : [];
  const wanted = host.toLowerCase();
  const match = entries.find(([key]) => sameRegistry(hostOfKey(key), wanted));
  const helper = (typeof credHelpers === 'object' && credHelpers !== null && Object.keys(credHelpers).some((key) => sameRegistry(hostOfKey(key), wanted))) || (match !== undefined && typeof credsStore === 'string');
  const helperError = () => new AuthFileError(`${path} leaves the credentials of ${wanted} to a credential helper, which the registry client does not run`, true);
  if (!match) {
    if (helper) throw helperError();
    return { found: false };
  }
  const [key, value] = match;
  const entry = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const basic = decodeBasic(entry.auth);
    if (!basic) throw new AuthFileError(`${path}: auths["${key}"].auth is not base64 of user:password`);
    return { found: true, auth: basic };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') return { found: true, auth: { username: entry.username, password: entry.password } };
  if (helper) throw helperError();
  throw new AuthFileError(`${path}: auths["${key}"] holds neither "auth" nor "username" and "password"`);
}

export interface DockerConfigOptions {
  /** Default: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  path?: string;
}

/**
 * The credentials `docker login` stored for `host` (`127.0.0.1:5000`, `docker.io`), or undefined.
 * Credential helpers and stores are programs the client does not run: an `AuthFileError` names them.
 */
export async function dockerConfigCredentials(host: string, options: DockerConfigOptions = {}): Promise<BasicCredentials | undefined> {
  const read = await authFileCredentials(options.path ?? join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), host);
  return read.found ? read.auth : undefined;
}
