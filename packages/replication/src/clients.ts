import { createRegistryClient, type RegistryClient, type RegistryClientOptions } from '@regevents/registry-client';
import type { RegistryCredentials, RegistryEndpoint } from './policy.js';
import { PermanentJobError } from './queue.js';

/**
 * The User-Agent of every request replication makes. The source registry reports the copy's
 * reads as `pull` events carrying it, so pull statistics (and retention's "not pulled for")
 * can leave them out.
 */
export const REPLICATION_USER_AGENT = 'regevents-replication/0.1.0';

/** Whether a registry event was caused by replication (its request's User-Agent). */
export function isReplicationRequest(event: { request?: { useragent?: string } }): boolean {
  return event.request?.useragent?.startsWith('regevents-replication/') === true;
}

export type ClientFactory = (options: RegistryClientOptions) => RegistryClient;

export interface ClientSettings {
  /** Environment for `passwordEnv`; default `process.env` where there is one. */
  env?: Record<string, string | undefined>;
  /** Extra client options (fetch, retry, timeouts) for every registry. */
  clientOptions?: Partial<RegistryClientOptions>;
}

function defaultEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

function passwordOf(credentials: RegistryCredentials, env: Record<string, string | undefined>): string {
  if (credentials.password !== undefined) return credentials.password;
  const value = env[credentials.passwordEnv ?? ''];
  if (value === undefined) throw new PermanentJobError(`the environment variable ${credentials.passwordEnv} (the password of ${credentials.username}) is not set`);
  return value;
}

/** One client per registry endpoint and credentials, created on first use. */
export function clientPool(settings: ClientSettings = {}): (endpoint: RegistryEndpoint) => RegistryClient {
  const clients = new Map<string, RegistryClient>();
  return (endpoint) => {
    const key = `${endpoint.registry}\n${endpoint.credentials?.username ?? ''}`;
    let client = clients.get(key);
    if (!client) {
      const options: RegistryClientOptions = { ...settings.clientOptions, baseUrl: endpoint.registry, userAgent: REPLICATION_USER_AGENT };
      if (endpoint.credentials) options.auth = { username: endpoint.credentials.username, password: passwordOf(endpoint.credentials, settings.env ?? defaultEnv()) };
      client = createRegistryClient(options);
      clients.set(key, client);
    }
    return client;
  };
}
