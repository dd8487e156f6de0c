import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError, RegistryError, type RegistryAuth, type RegistryClientOptions } from '@regevents/registry-client';
import { AuthFileError, authFileCredentials, type AuthFileEntry } from '@regevents/registry-client/node';
import type { Command } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import type { Io } from './output.js';
import { REGISTRY_URL, urlOption } from './url-option.js';

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

/** The entry for `host` in an auth file, through registry-client's one reader; its refusals are usage errors here. */
async function readAuthFile(path: string, host: string, required: boolean): Promise<AuthFileEntry> {
  try {
    return await authFileCredentials(path, host, { required });
  } catch (error) {
    if (!(error instanceof AuthFileError)) throw error;
    throw new CliError(error.helper ? `${error.message}: pass --creds instead` : error.message);
  }
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

/** `--registry <url>` and the credentials for it from `flags`, as the options of a registry client that reads as `userAgent`. */
export async function registryFromFlags(url: string, flags: RegistryCredentialOptions, userAgent: string, io: Io): Promise<{ registry: URL; auth: RegistryAuth | undefined; client: RegistryClientOptions }> {
  const registry = urlOption('--registry', url, REGISTRY_URL.protocols, REGISTRY_URL.example);
  const auth = await resolveRegistryAuth(registry, flags, io);
  return { registry, auth, client: { baseUrl: registry.origin, userAgent, auth } };
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
