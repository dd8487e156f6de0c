import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError, RegistryError, type RegistryAuth } from '@regevents/registry-client';
import type { Command } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import type { Io } from './output.js';

/** The flags every command that talks to one registry takes (`addRegistryCredentialOptions`). */
export interface RegistryCredentialOptions {
  /** `user:password`, or `user` with the password from `--password-stdin` or the environment. */
  creds?: string;
  passwordStdin?: boolean;
  authfile?: string;
}

/** Holds the password for `--creds user`, so it never shows in `ps`. */
export const PASSWORD_ENV = 'REGEVENTS_REGISTRY_PASSWORD';

/** Where credentials are read from when no flag names them: containers-auth.json(5) order, then Docker's. */
export function defaultAuthFiles(env: Record<string, string | undefined>): string[] {
  const home = env.HOME || homedir();
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'));
  files.push(join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json'));
  return files;
}

/** Adds `--creds`, `--password-stdin` and `--authfile`, worded alike on every command. */
export function addRegistryCredentialOptions(command: Command): Command {
  return command
    .option('--creds <user[:password]>', `the registry's credentials; give only the user to take the password from --password-stdin or $${PASSWORD_ENV} (a password here shows in ps)`)
    .option('--password-stdin', 'read the password of --creds <user> from standard input')
    .option('--authfile <path>', 'a containers auth.json or Docker config.json: "auths" entries with "auth" (base64 user:password) or "username"/"password"; credential helpers (credsStore, credHelpers) are not supported. Default: $REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json, the first with an entry for the registry');
}

/** `host[:port]` of an `auths` key: `127.0.0.1:5000`, `https://registry.example/v1/`, Docker Hub's legacy `https://index.docker.io/v1/`. */
function hostOfKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const [host = '', ...path] = withoutScheme.split('/');
  // a key with a repository path (containers' `registry.example/team`) scopes credentials to part of a
  // registry; these commands read the whole registry, so only registry-wide keys apply
  const registryWide = path.every((segment) => segment === '' || /^v[12]$/.test(segment));
  return registryWide ? host.toLowerCase() : '';
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const sameRegistry = (a: string, b: string) => a === b || (DOCKER_HUB.has(a) && DOCKER_HUB.has(b));

function decodeBasic(encoded: string): { username: string; password: string } | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = text.indexOf(':');
  return colon < 1 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

type AuthFileRead = { found: false } | { found: true; auth?: RegistryAuth };

/** The entry of `host` in an auth file; errors name the file and key, never what the entry holds. */
async function readAuthFile(path: string, host: string, required: boolean): Promise<AuthFileRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && (code === 'ENOENT' || code === 'ENOTDIR')) return { found: false };
    throw new CliError(`cannot read --authfile ${path}: ${code ?? 'unreadable'}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not JSON (an auth file holds {"auths": {...}})`);
  }
  const { auths, credHelpers, credsStore } = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  const entries = typeof auths === 'object' && auths !== null ? Object.entries(auths as Record<string, unknown>) : [];
  const match = entries.find(([key]) => sameRegistry(hostOfKey(key), host));
  const helper = (typeof credHelpers === 'object' && credHelpers !== null && Object.keys(credHelpers).some((key) => sameRegistry(hostOfKey(key), host))) || (match !== undefined && typeof credsStore === 'string');
  if (!match) {
    if (helper) throw new CliError(`${path} leaves the credentials of ${host} to a credential helper, which regevents does not run: pass --creds instead`);
    return { found: false };
  }
  const [key, value] = match;
  const entry = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const basic = decodeBasic(entry.auth);
    if (!basic) throw new CliError(`${path}: auths["${key}"].auth is not base64 of user:password`);
    return { found: true, auth: basic };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') return { found: true, auth: { username: entry.username, password: entry.password } };
  if (helper) throw new CliError(`${path} leaves the credentials of ${host} to a credential helper, which regevents does not run: pass --creds instead`);
  throw new CliError(`${path}: auths["${key}"] holds neither "auth" nor "username" and "password"`);
}

async function passwordFor(options: RegistryCredentialOptions, io: Io, env: Record<string, string | undefined>): Promise<string> {
  if (options.passwordStdin) {
    const password = new TextDecoder().decode(await io.stdin()).replace(/\r?\n$/, '');
    if (password === '') throw new CliError('--password-stdin read no password from standard input');
    return password;
  }
  const password = env[PASSWORD_ENV];
  if (!password) throw new CliError(`--creds names only a user: give the password with --password-stdin or $${PASSWORD_ENV}`);
  return password;
}

/**
 * The credentials for `registry` from the flags, else from the first auth file with an entry for
 * it; undefined for anonymous. Basic credentials also drive the registry's bearer-token flow.
 */
export async function resolveRegistryAuth(registry: URL, options: RegistryCredentialOptions, io: Io, env: Record<string, string | undefined> = process.env): Promise<RegistryAuth | undefined> {
  if (options.creds !== undefined && options.authfile !== undefined) throw new CliError('give --creds or --authfile, not both');
  if (options.passwordStdin && options.creds === undefined) throw new CliError('--password-stdin reads the password of --creds <user>');
  if (options.creds !== undefined) {
    const colon = options.creds.indexOf(':');
    if (colon === 0 || options.creds === '') throw new CliError('--creds must be user:password, or a user alone');
    if (colon < 0) return { username: options.creds, password: await passwordFor(options, io, env) };
    if (options.passwordStdin) throw new CliError('--creds already holds a password: drop it, or drop --password-stdin');
    return { username: options.creds.slice(0, colon), password: options.creds.slice(colon + 1) };
  }
  const host = registry.host.toLowerCase();
  if (options.authfile !== undefined) {
    const read = await readAuthFile(options.authfile, host, true);
    if (!read.found) io.err(io.colors.yellow(`${options.authfile} has no credentials for ${host}: going on anonymously`));
    return read.found ? read.auth : undefined;
  }
  for (const path of defaultAuthFiles(env)) {
    const read = await readAuthFile(path, host, false);
    if (read.found) return read.auth;
  }
  return undefined;
}

/**
 * A registry's refusal as a CLI error with its own exit code (`EXIT.unauthorized`); any other
 * error unchanged. The registry client's messages never hold credentials; these add none.
 */
export function credentialsRefused(error: unknown, registry: URL, auth: RegistryAuth | undefined): unknown {
  const host = registry.host;
  if (error instanceof AuthenticationError) return new CliError(`${host}: ${error.message}${auth ? '' : ' (no credentials given: --creds or --authfile)'}`, EXIT.unauthorized);
  if (!(error instanceof RegistryError) || (error.status !== 401 && error.status !== 403)) return error;
  if (!auth) return new CliError(`${host} wants credentials (${error.status} ${error.code}): pass --creds or --authfile`, EXIT.unauthorized);
  const who = 'username' in auth ? `user ${auth.username}` : 'the token';
  return new CliError(error.status === 401 ? `${host} refused the credentials of ${who} (401 ${error.code})` : `${host} denied ${who} ${error.method} ${error.path} (403 ${error.code})`, EXIT.unauthorized);
}
