import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BasicCredentials } from '../auth.js';
import { UnsupportedError } from '../errors.js';

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export interface DockerConfigOptions {
  /** Default: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  path?: string;
}

function defaultPath(): string {
  return join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/** `docker login` keys Docker Hub as its v1 index URL; other registries by host (sometimes with a scheme). */
function keysFor(host: string): string[] {
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io'];
  return [host, `https://${host}`, `http://${host}`];
}

/**
 * The credentials `docker login` stored for `host` (`127.0.0.1:5000`, `docker.io`), or undefined.
 * Credential helpers and stores are programs the client does not run: an `UnsupportedError` names them.
 */
export async function dockerConfigCredentials(host: string, options: DockerConfigOptions = {}): Promise<BasicCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(options.path ?? defaultPath(), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const config = JSON.parse(text) as DockerConfig;
  const keys = keysFor(host);
  const helper = keys.map((key) => config.credHelpers?.[key]).find(Boolean);
  for (const key of keys) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
  }
  const store = helper ?? config.credsStore;
  if (store) throw new UnsupportedError('docker credential helpers', `credentials for ${host} are kept by docker-credential-${store}`);
  return undefined;
}
