import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { regevents, type CliRun } from './cli.js';

const dataUrl = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;

// Resolve hooks that name each @regevents package and each dependency the first time the process resolves it
// (the last node_modules/<name> of its path, else packages/<name>), and make the package `refuse` fail to load.
// They run off the main thread: they post the names to it, and it prints them as it exits, so none is lost.
const hooks = `let port, refuse;
export function initialize(data) { ({ port, refuse } = data); }
const seen = new Set();
export async function resolve(specifier, context, next) {
  if (specifier === refuse) throw new Error(specifier + ' cannot load');
  const resolved = await next(specifier, context);
  const name = resolved.url.match(/.*\\/(node_modules\\/(?:@[^/]+\\/)?[^/]+)/)?.[1] ?? resolved.url.match(/\\/(packages\\/[^/]+)\\//)?.[1];
  if (name && !seen.has(name)) { seen.add(name); port.postMessage(name); }
  return resolved;
}`;

function recorder(refuse?: string): string {
  return `import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
process.on('exit', () => { for (let name; (name = receiveMessageOnPort(port1)); ) process.stderr.write('loaded ' + name.message + '\\n'); });
register(${JSON.stringify(dataUrl(hooks))}, { data: { port: port2, refuse: ${JSON.stringify(refuse)} }, transferList: [port2] });`;
}

async function loadedBy(args: string[], refuse?: string): Promise<CliRun & { loaded: string[] }> {
  const result = await regevents(args, { env: { NODE_OPTIONS: `--import=${dataUrl(recorder(refuse))}` } });
  return { ...result, loaded: [...result.stderr.matchAll(/^loaded (.+)$/gm)].map((match) => match[1] ?? '') };
}

const fixture = new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url).pathname;
const HEAVY = ['packages/relay', 'packages/webhooks', 'packages/replication', 'packages/retention', 'packages/mock-registry', 'node_modules/bullmq', 'node_modules/prom-client', 'node_modules/redis', 'node_modules/@redis/client', 'node_modules/msw'];
const heavy = (loaded: string[]) => loaded.filter((name) => HEAVY.includes(name));

describe('a command loads only what it uses', () => {
  let config: string;
  beforeAll(async () => {
    config = join(await mkdtemp(join(tmpdir(), 'regevents-lazy-')), 'config.yml');
    await writeFile(config, 'version: 0.1\nnotifications:\n  endpoints:\n    - name: app\n      url: https://hooks.example.com/events\n      timeout: 2s\n');
  });

  it.each([
    { what: "--help loads none of the commands' libraries", args: () => ['--help'], says: 'Usage: regevents', loads: ['packages/cli'] },
    { what: "a subcommand's --help does not load it either", args: () => ['relay', 'reconcile', '--help'], says: 'Usage: regevents relay reconcile', loads: ['packages/cli'] },
    { what: 'validate loads the formats and schemas, not the relay, replication or the mock registry', args: () => ['validate', fixture], says: 'valid distribution envelope with 1 event', loads: ['packages/formats', 'packages/schemas'] },
    { what: 'lint-config loads the config package alone', args: () => ['lint-config', config], says: '0 errors, 0 warnings', loads: ['packages/config'] },
    { what: 'fixtures list loads none of the libraries', args: () => ['fixtures', 'list'], says: 'push-by-tag/003', loads: ['packages/cli'] },
  ])('$what', async ({ args, says, loads }) => {
    const { code, stdout, stderr, loaded } = await loadedBy(args());
    expect(code).toBe(0);
    // lint-config reports on stderr, the others on stdout
    expect(`${stdout}\n${stderr}`).toContain(says);
    expect(loaded).toEqual(expect.arrayContaining(loads));
    expect(heavy(loaded)).toEqual([]);
  });

  it("--help takes the format list from the formats' model alone, loading no schema or parser", async () => {
    const { code, loaded } = await loadedBy(['--help']);
    expect(code).toBe(0);
    expect(loaded).toContain('packages/formats');
    expect(loaded).not.toContain('packages/schemas');
  });

  it('a relay command loads the relay when it runs', async () => {
    const { code, stderr, loaded } = await loadedBy(['relay', 'tail', '--once']);
    expect(code).toBe(2);
    expect(stderr).toContain('regevents: --redis <url> is required');
    expect(loaded).toContain('packages/relay');
  });
});

describe('a command whose library cannot load', () => {
  it('says so in one line and exits 1, without a stack', async () => {
    const { code, stderr } = await loadedBy(['relay', 'tail', '--once'], '@regevents/relay');
    expect(code).toBe(1);
    expect(stderr.match(/^regevents: .*$/gm)).toEqual(['regevents: @regevents/relay cannot load']);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
