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
  it('finds a registry-wide entry by host under any scheme, and skips keys scoped to a repository', async () => {
    const path = await file('config.json', {
      auths: { '127.0.0.1:5000/team': { auth: basic('scoped', 'x') }, 'http://127.0.0.1:5000': { auth: basic('alice', PASSWORD) } },
    });
    expect(await dockerConfigCredentials('127.0.0.1:5000', { path })).toEqual({ username: 'alice', password: PASSWORD });
    expect(await dockerConfigCredentials('other.example', { path })).toBeUndefined();
  });

  it.each(['https://index.docker.io/v1/', 'docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io/v2/'])(
    'finds Docker Hub credentials stored under %s for every host Docker Hub goes by',
    async (key) => {
      const path = await file('hub.json', { auths: { [key]: { auth: basic('hub', PASSWORD) } } });
      for (const host of ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'Registry-1.Docker.io']) expect(await dockerConfigCredentials(host, { path })).toEqual({ username: 'hub', password: PASSWORD });
      for (const host of ['hub.docker.com', 'docker.io.example', 'registry-2.docker.io']) expect(await dockerConfigCredentials(host, { path })).toBeUndefined();
    },
  );

  it("names Docker Hub's credential helper for every host Docker Hub goes by", async () => {
    const path = await file('hub-helper.json', { credHelpers: { 'docker.io': 'desktop' } });
    for (const host of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) await expect(dockerConfigCredentials(host, { path })).rejects.toMatchObject({ helper: true });
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
