import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, hasExited, once, PortTakenError, restartAround, run, sleep, startAgainIfPortTaken, terminate, until } from './process.js';

export interface RegistryConfigOptions {
  port: number;
  storageDir: string;
  /** The registry's `notifications:` block, as the objects its YAML would hold. */
  notifications?: unknown;
  /** Path of an htpasswd file: turns on basic auth. */
  htpasswdPath?: string;
  /** Serve `/debug/vars` on this loopback port. */
  debugPort?: number;
}

/** A minimal registry config; JSON is valid YAML, so it is written as JSON. */
export function registryConfig(options: RegistryConfigOptions): Record<string, unknown> {
  const http: Record<string, unknown> = { addr: `127.0.0.1:${options.port}` };
  if (options.debugPort !== undefined) http.debug = { addr: `127.0.0.1:${options.debugPort}` };
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: options.storageDir },
      delete: { enabled: true },
    },
    http,
  };
  if (options.htpasswdPath) config.auth = { htpasswd: { realm: 'regevents', path: options.htpasswdPath } };
  if (options.notifications !== undefined) config.notifications = options.notifications;
  return config;
}

export interface StartRegistryOptions {
  /** Builds the config from the chosen ports and storage folder; text is written verbatim. */
  config?: (base: { port: number; storageDir: string; debugPort: number }) => Record<string, unknown> | string;
  /** Extra environment variables (REGISTRY_* overrides). */
  env?: Record<string, string>;
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT`, the form skopeo references use. */
  host: string;
  url: string;
  debugUrl: string;
  version: string;
  workDir: string;
  /** What the registry printed so far (warnings and errors), across restarts. */
  log(): Promise<string>;
  /**
   * Stops the registry (SIGTERM: its queued notifications are lost, as on any restart) and starts it
   * again on the same ports, config and storage; `whileDown` runs once it has exited and before the
   * start, which happens even if `whileDown` throws.
   */
  restart(options?: { whileDown?: () => Promise<unknown> }): Promise<void>;
  stop(): Promise<void>;
}

async function readRegistryVersion(): Promise<string> {
  const { stdout } = await run('docker-registry', ['--version']);
  // "docker-registry github.com/docker/distribution 2.8.2+ds1"
  const match = /(\d+\.\d+\.\d+)/.exec(stdout);
  return match?.[1] ?? stdout.trim();
}

/** The installed docker-registry's version, asked once per process (every start reports it). */
export const registryVersion = once(readRegistryVersion);

/** Starts Debian's `docker-registry` on loopback and waits until `/v2/` answers; a port taken meanwhile is chosen anew. */
export function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  return startAgainIfPortTaken(() => launchRegistry(options));
}

async function launchRegistry(options: StartRegistryOptions): Promise<RunningRegistry> {
  const workDir = await mkdtemp(join(tmpdir(), 'regevents-registry-'));
  const storageDir = join(workDir, 'storage');
  const port = await freePort();
  const debugPort = await freePort();
  const built = options.config?.({ port, storageDir, debugPort }) ?? registryConfig({ port, storageDir, debugPort });
  const configPath = join(workDir, 'config.yml');
  await writeFile(configPath, typeof built === 'string' ? built : JSON.stringify(built, null, 2));
  const logPath = join(workDir, 'registry.log');
  const url = `http://127.0.0.1:${port}`;
  const log = () => readFile(logPath, 'utf8').catch(() => '');
  // a restart appends to the log the first start began
  const launch = (flags: 'w' | 'a') => {
    const logFd = openSync(logPath, flags);
    const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', logFd, logFd], env: { ...process.env, ...options.env } });
    closeSync(logFd);
    return child;
  };
  let child = launch('w');
  const stop = async () => {
    await terminate(child);
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await waitForApi(child, url, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: `127.0.0.1:${port}`,
    url,
    debugUrl: `http://127.0.0.1:${debugPort}/debug/vars`,
    version: await registryVersion(),
    workDir,
    log,
    restart: ({ whileDown } = {}) =>
      restartAround(() => terminate(child), whileDown, async () => {
        child = launch('a');
        await waitForApi(child, url, log);
      }),
    stop,
  };
}

/** Waits until `/v2/` at `url` answers (200, or 401 with auth on); an exit before that throws what the registry printed. */
async function waitForApi(child: ChildProcess, url: string, log: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (hasExited(child)) {
      const text = await log();
      const Failure = text.includes('bind: address already in use') ? PortTakenError : Error;
      throw new Failure(`docker-registry exited during start-up:\n${text.slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}/v2/`);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${url} within 20 s:\n${(await log()).slice(-2000)}`);
    await sleep(50);
  }
}

/** Writes an htpasswd file (bcrypt, as the registry requires) with `htpasswd -Bbn`. */
export async function writeHtpasswd(path: string, users: Record<string, string>): Promise<void> {
  const lines: string[] = [];
  for (const [user, password] of Object.entries(users)) {
    const { stdout } = await run('htpasswd', ['-Bbn', user, password]);
    lines.push(stdout.trim());
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** The registry's `/debug/vars` counters for one endpoint (attempts, not unique events; `Events` counts what entered its queue). */
export interface EndpointMetrics {
  Pending: number;
  Events: number;
  Successes: number;
  Failures: number;
  Errors: number;
}

/** A registry's `/debug/vars`, as much of it as the tests read. */
interface DebugVars {
  registry: { notifications: { endpoints: { name: string; Metrics: EndpointMetrics }[] } };
}

/** Where a registry's `/debug/vars` come from: its debug URL, or what gives them in process (the mock's `debugVars()`). */
export type DebugVarsSource = string | (() => DebugVars);

/** Reads the counters of the endpoint `name` from a registry's `/debug/vars`. */
export async function endpointMetrics(source: DebugVarsSource, name: string): Promise<EndpointMetrics> {
  const vars = typeof source === 'string' ? ((await (await fetch(source)).json()) as DebugVars) : source();
  const endpoint = vars.registry.notifications.endpoints.find((candidate) => candidate.name === name);
  if (!endpoint) throw new Error(`the registry does not report the endpoint "${name}" in /debug/vars`);
  return endpoint.Metrics;
}

/**
 * Resolves once the registry's queue for endpoint `name` is empty (Pending 0). The registry queues
 * each event before it answers the request that caused it, so by then it has sent every event the
 * requests answered so far caused.
 */
export function queueDrained(source: DebugVarsSource, name: string, ms = 60_000): Promise<void> {
  return until(async () => (await endpointMetrics(source, name)).Pending === 0, `the registry to deliver its queue for ${name}`, ms, 50);
}
