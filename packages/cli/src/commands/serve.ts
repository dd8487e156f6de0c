import { readFile } from 'node:fs/promises';
import { ENDPOINT_DEFAULTS, parseRegistryConfig, type EndpointConfig, type NotificationsConfig } from '@regevents/config';
import type { AuthOptions, Flavor } from '@regevents/mock-registry';
import { createMockRegistry, FileSystemStorage } from '@regevents/mock-registry/node';
import { CliError, EXIT } from '../cli-error.js';
import { serveUntilInterrupted } from '../interruption.js';
import type { Io } from '../output.js';
import { registryLog } from '../registry-log.js';

export interface ServeOptions {
  port: number;
  host: string;
  config?: string;
  notify: string[];
  storage?: string;
  htpasswd?: string;
  flavor: Flavor;
  quiet?: boolean;
}

async function readText(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
}

const nsToMs = (ns: bigint) => Number(ns) / 1e6;

function notifyEndpoint(url: string, index: number): EndpointConfig {
  if (!/^https?:\/\//.test(url)) throw new CliError(`--notify must be an http(s) URL, not "${url}"`);
  return {
    name: `notify-${index + 1}`,
    disabled: false,
    url,
    headers: {},
    timeoutMs: nsToMs(ENDPOINT_DEFAULTS.timeout),
    threshold: ENDPOINT_DEFAULTS.threshold,
    backoffMs: nsToMs(ENDPOINT_DEFAULTS.backoff),
    ignore: { mediaTypes: [], actions: [] },
  };
}

/** The notifications of --config (its diagnostics printed; errors refuse to start) plus one endpoint per --notify. */
async function notificationsFor(options: ServeOptions, io: Io): Promise<NotificationsConfig> {
  let notifications: NotificationsConfig = { events: { includeReferences: false }, endpoints: [] };
  if (options.config) {
    const parsed = parseRegistryConfig(await readText('--config', options.config), { version: options.flavor === 'distribution-3' ? '3' : '2.8' });
    for (const d of parsed.diagnostics.filter((d) => d.severity !== 'info')) io.err(`${options.config}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
    if (parsed.errors.length > 0) throw new CliError(`${options.config} has errors; run \`regevents lint-config ${options.config}\``, EXIT.failed);
    notifications = parsed.notifications;
  }
  return { ...notifications, endpoints: [...notifications.endpoints, ...options.notify.map(notifyEndpoint)] };
}

/** The mock registry as a local development registry, logging requests, events and deliveries. */
export function serveCommand(options: ServeOptions, io: Io): Promise<number> {
  return serveUntilInterrupted(io, 'regevents serve', async ({ stopped, started }) => {
    const auth: AuthOptions | undefined = options.htpasswd ? { type: 'basic', htpasswd: await readText('--htpasswd', options.htpasswd) } : undefined;
    const log = registryLog(io, { requests: !options.quiet });
    const registry = await started.part(
      createMockRegistry({
        notifications: await notificationsFor(options, io),
        flavor: options.flavor,
        auth,
        storage: options.storage ? new FileSystemStorage(options.storage) : undefined,
        observer: log.observer,
      }),
    );
    const served = await started.part(registry.serve({ port: options.port, host: options.host, onRequest: log.onRequest }));
    const address = served.url.replace(/^http:\/\//, '');
    io.out(`registry on ${served.url} (${options.flavor}, ${options.storage ? `storage in ${options.storage}` : 'in memory'}${auth ? ', basic auth' : ''}); Ctrl-C stops`);
    io.out(`  push: skopeo copy --dest-tls-verify=false oci:./image:latest docker://${address}/demo/app:1.0`);
    io.out(`        docker push ${address}/demo/app:1.0   (add "${address}" to the daemon's insecure-registries unless it is localhost)`);
    await stopped;
    return EXIT.ok;
  });
}
