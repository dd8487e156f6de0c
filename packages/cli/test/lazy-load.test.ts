import { describe, expect, it } from 'vitest';
import { regevents } from './cli.js';

// A resolve hook that prints each @regevents package and each dependency the first time the process loads it.
const hooks = `const seen = new Set();
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const name = resolved.url.match(/packages\\/[^/]+|node_modules\\/(?:@[^/]+\\/)?[^/]+/)?.[0];
  if (name && !seen.has(name)) { seen.add(name); console.error('loaded ' + name); }
  return resolved;
}`;
const recorder = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
const NODE_OPTIONS = `--import=data:text/javascript,${encodeURIComponent(recorder)}`;

async function loadedBy(args: string[]): Promise<string[]> {
  const result = await regevents(args, { env: { NODE_OPTIONS } });
  return [...result.stderr.matchAll(/^loaded (.+)$/gm)].map((match) => match[1] ?? '');
}

const fixture = new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url).pathname;
const HEAVY = ['packages/relay', 'packages/webhooks', 'packages/replication', 'packages/retention', 'packages/mock-registry', 'node_modules/bullmq', 'node_modules/prom-client', 'node_modules/redis', 'node_modules/msw'];

describe('a command loads only what it uses', () => {
  it('--help loads none of the commands\' libraries', async () => {
    const loaded = await loadedBy(['--help']);
    expect(loaded).toContain('packages/cli');
    expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it("a subcommand's --help does not load it either", async () => {
    const loaded = await loadedBy(['relay', 'reconcile', '--help']);
    expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it('validate loads the formats and schemas, not the relay, replication or the mock registry', async () => {
    const loaded = await loadedBy(['validate', fixture]);
    expect(loaded).toEqual(expect.arrayContaining(['packages/formats', 'packages/schemas']));
    expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
  });
});
