import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthFileError, authFileCredentials, dockerConfigCredentials } from '../src/node/index.js';

const PASSWORD = 'auth-file-s3cret';
const basic = (user: string, password: string) => btoa(`${user}:${password}`);
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'regevents-auth-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, document: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof document === 'string' ? document : JSON.stringify(document));
  return path;
}

describe('auth files (containers auth.json, Docker config.json)', () => {
  it('finds a registry-wide entry by host under any scheme, Docker Hub by its aliases, and skips keys scoped to a repository', async () => {
    const path = await file('config.json', {
      auths: { '127.0.0.1:5000/team': { auth: basic('scoped', 'x') }, 'http://127.0.0.1:5000': { auth: basic('alice', PASSWORD) }, 'https://index.docker.io/v1/': { username: 'hub', password: 'h' } },
    });
    expect(await dockerConfigCredentials('127.0.0.1:5000', { path })).toEqual({ username: 'alice', password: PASSWORD });
    expect(await dockerConfigCredentials('registry-1.docker.io', { path })).toEqual({ username: 'hub', password: 'h' });
    expect(await dockerConfigCredentials('other.example', { path })).toBeUndefined();
  });

  it('a missing file is nothing, unless required', async () => {
    expect(await dockerConfigCredentials('127.0.0.1:5000', { path: join(dir, 'missing.json') })).toBeUndefined();
    await expect(authFileCredentials(join(dir, 'missing.json'), '127.0.0.1:5000', { required: true })).rejects.toThrow(AuthFileError);
  });

  it('refuses broken files and credential helpers with AuthFileError, naming no secret', async () => {
    const cases: [unknown, boolean][] = [
      [`{"auths": "${PASSWORD}`, false],
      [{ auths: { '127.0.0.1:5000': { auth: btoa(`no-colon-${PASSWORD}`) } } }, false],
      [{ credHelpers: { '127.0.0.1:5000': 'pass' } }, true],
    ];
    for (const [document, helper] of cases) {
      const error = await dockerConfigCredentials('127.0.0.1:5000', { path: await file('broken.json', document) }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthFileError);
      expect((error as AuthFileError).helper).toBe(helper);
      expect((error as Error).message).not.toContain(PASSWORD);
    }
  });
});
