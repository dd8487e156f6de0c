import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const dist = (path: string) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));

/** A resolve hook that makes `msw` absent, as in an app that installed the CLI only. */
const NO_MSW = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(specifier, context, next) {
  if (specifier === 'msw' || specifier.startsWith('msw/')) throw Object.assign(new Error("Cannot find package 'msw'"), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}\`));`)}`;

const SCRIPT = `
const { createMockRegistry } = await import(${JSON.stringify(dist('node/index.js'))});
const registry = createMockRegistry();
const image = await registry.pushImage('demo/app:1', { layers: 1 });
const served = await registry.serve();
const answer = await fetch(served.url + '/v2/demo/app/manifests/1', { method: 'HEAD', headers: { accept: image.manifest.mediaType } });
let handlers;
try { registry.handlers; handlers = 'built'; } catch (error) { handlers = error.message; }
await served.close();
registry.close();
console.log(JSON.stringify({ status: answer.status, digest: answer.headers.get('docker-content-digest') === image.manifest.digest, handlers }));
`;

describe('without msw installed', () => {
  it('handle() and serve() work, and handlers says what it needs', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', NO_MSW, '--input-type=module', '-e', SCRIPT]);
    expect(JSON.parse(stdout)).toEqual({
      status: 200,
      digest: true,
      handlers: 'registry.handlers needs msw, an optional peer of @regevents/mock-registry: npm install -D msw',
    });
  });
});
