import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryClient, type RegistryClient } from '@regevents/registry-client';
import { buildImage, registryConfig, requirePeers, startRegistry, startTokenServer, writeHtpasswd, type RunningRegistry, type RunningTokenServer } from '@regevents/registry-harness';
import type { RetentionPlan } from '@regevents/retention';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferedIo } from '../src/output.js';
import { resolveRegistryAuth } from '../src/registry-credentials.js';
import { regevents } from './cli.js';

const PASSWORD = 'hunter2-correct-horse';
const WRONG = 'not-the-password-7731';
const USERS = { alice: PASSWORD };
const peers = requirePeers('docker-registry', 'htpasswd');

let dir: string;
/** No auth file of the machine's user is ever read: every default location points into `dir`. */
let isolated: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-credentials-'));
  isolated = { HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'run'), XDG_CONFIG_HOME: join(dir, 'config'), DOCKER_CONFIG: join(dir, 'docker'), REGISTRY_AUTH_FILE: '', REGEVENTS_REGISTRY_PASSWORD: '' };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function authFile(name: string, document: unknown): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(document));
  return path;
}

const registryUrl = new URL('http://127.0.0.1:5000');
const basic = (user: string, password: string) => btoa(`${user}:${password}`);

describe('resolveRegistryAuth', () => {
  const resolve = (options: Parameters<typeof resolveRegistryAuth>[1], env: Record<string, string> = isolated, stdin = '') => resolveRegistryAuth(registryUrl, options, bufferedIo(stdin), env);

  it('takes user:password, or a user with the password from stdin or the environment', async () => {
    expect(await resolve({ creds: 'alice:pa:ss' })).toEqual({ username: 'alice', password: 'pa:ss' });
    expect(await resolve({ creds: 'alice', passwordStdin: true }, isolated, `${PASSWORD}\n`)).toEqual({ username: 'alice', password: PASSWORD });
    expect(await resolve({ creds: 'alice' }, { ...isolated, REGEVENTS_REGISTRY_PASSWORD: PASSWORD })).toEqual({ username: 'alice', password: PASSWORD });
  });

  it('refuses contradictory or incomplete flags with usage errors that hold no secret', async () => {
    for (const [options, message] of [
      [{ creds: `alice:${PASSWORD}`, authfile: 'x.json' }, 'not both'],
      [{ passwordStdin: true }, '--password-stdin reads the password of --creds'],
      [{ creds: `alice:${PASSWORD}`, passwordStdin: true }, 'already holds a password'],
      [{ creds: `:${PASSWORD}` }, 'must be user:password'],
      [{ creds: 'alice' }, '--creds names only a user'],
    ] as const) {
      const error = await resolve(options).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'CliError', exitCode: 2 });
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain(PASSWORD);
    }
  });

  it('reads auths entries by host in the forms Docker and containers write, base64 auth or username/password', async () => {
    const file = await authFile('forms.json', {
      auths: {
        'other.example': { auth: basic('bob', 'bobs') },
        '127.0.0.1:5000/team': { auth: basic('scoped', 'x') },
        'https://127.0.0.1:5000/v1/': { auth: basic('alice', PASSWORD) },
      },
    });
    expect(await resolve({ authfile: file })).toEqual({ username: 'alice', password: PASSWORD });
    const plain = await authFile('plain.json', { auths: { '127.0.0.1:5000': { username: 'carol', password: 'c-pass' } } });
    expect(await resolve({ authfile: plain })).toEqual({ username: 'carol', password: 'c-pass' });
    const hub = await authFile('hub.json', { auths: { 'https://index.docker.io/v1/': { auth: basic('dh', 'dh-pass') } } });
    expect(await resolveRegistryAuth(new URL('https://registry-1.docker.io'), { authfile: hub }, bufferedIo(), isolated)).toEqual({ username: 'dh', password: 'dh-pass' });
  });

  it('an explicit auth file without the registry goes on anonymously and says so; broken files are usage errors naming no secret', async () => {
    const io = bufferedIo();
    expect(await resolveRegistryAuth(registryUrl, { authfile: await authFile('none.json', { auths: {} }) }, io, isolated)).toBeUndefined();
    expect(io.stderr.join('\n')).toContain('has no credentials for 127.0.0.1:5000');
    const cases: [unknown, string][] = [
      [{ auths: { '127.0.0.1:5000': { auth: btoa('no-colon-here') } } }, 'is not base64 of user:password'],
      [{ auths: { '127.0.0.1:5000': { auth: '%%%' } } }, 'is not base64 of user:password'],
      [{ auths: { '127.0.0.1:5000': {} }, credsStore: 'desktop' }, 'credential helper'],
      [{ credHelpers: { '127.0.0.1:5000': 'pass' } }, 'credential helper'],
      [{ auths: { '127.0.0.1:5000': { identitytoken: PASSWORD } } }, 'holds neither'],
    ];
    for (const [document, message] of cases) {
      const error = await resolve({ authfile: await authFile('broken.json', document) }).catch((caught: unknown) => caught);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain(PASSWORD);
    }
    await expect(resolve({ authfile: join(dir, 'missing.json') })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('ENOENT') });
    await writeFile(join(dir, 'not-json.json'), `{"auths": "${PASSWORD}`);
    const notJson = await resolve({ authfile: join(dir, 'not-json.json') }).catch((caught: unknown) => caught);
    expect((notJson as Error).message).toContain('is not JSON');
    expect((notJson as Error).message).not.toContain(PASSWORD);
  });

  it('without flags, looks in $REGISTRY_AUTH_FILE, the containers files, then Docker’s, taking the first with an entry', async () => {
    expect(await resolve({})).toBeUndefined();
    await authFile('docker/config.json', { auths: { '127.0.0.1:5000': { auth: basic('from-docker', 'd') } } });
    expect(await resolve({})).toMatchObject({ username: 'from-docker' });
    await authFile('config/containers/auth.json', { auths: { 'elsewhere.example': { auth: basic('x', 'y') } } });
    expect(await resolve({})).toMatchObject({ username: 'from-docker' });
    await authFile('run/containers/auth.json', { auths: { '127.0.0.1:5000': { auth: basic('from-run', 'r') } } });
    expect(await resolve({})).toMatchObject({ username: 'from-run' });
    const named = await authFile('named.json', { auths: { '127.0.0.1:5000': { auth: basic('from-env', 'e') } } });
    expect(await resolve({}, { ...isolated, REGISTRY_AUTH_FILE: named })).toMatchObject({ username: 'from-env' });
    await rm(join(dir, 'docker'), { recursive: true });
    await rm(join(dir, 'run'), { recursive: true });
  });
});

/** Pushes a one-layer image by tag. */
async function push(client: RegistryClient, repository: string, tag: string, seed: number): Promise<void> {
  const image = buildImage({ seed, layers: 1, layerBytes: 512 });
  for (const [digest, bytes] of image.blobs) if (digest !== image.root.digest) await client.pushBlob(repository, bytes, { digest });
  await client.putManifest(repository, tag, { mediaType: image.root.mediaType, bytes: image.blobs.get(image.root.digest) as Uint8Array });
}

const planArgs = (url: string, policy: string) => ['retention', 'plan', '--policy', policy, '--registry', url, '--json'];
const leaked = (run: { stdout: string; stderr: string }) => `${run.stdout}\n${run.stderr}`.includes(PASSWORD) || `${run.stdout}\n${run.stderr}`.includes(WRONG);

describe.skipIf(!peers.available)('retention plan against docker-registry 2.8.2 with htpasswd auth', () => {
  let registry: RunningRegistry;
  let policy: string;

  beforeAll(async () => {
    const htpasswdPath = join(dir, 'htpasswd');
    await writeHtpasswd(htpasswdPath, USERS);
    registry = await startRegistry({ config: (base) => registryConfig({ ...base, htpasswdPath }) });
    const client = createRegistryClient({ baseUrl: registry.url, auth: { username: 'alice', password: PASSWORD } });
    await push(client, 'app', 'keep-1', 1);
    await push(client, 'app', 'old-1', 2);
    policy = join(dir, 'retention.yml');
    await writeFile(policy, "policies:\n  - repositories: ['**']\n    rules:\n      - keep: { tags: keep-* }\n      - remove: { olderThan: 24h }\n");
  });
  afterAll(() => registry?.stop());

  it('plans with --creds user:password, with the password on stdin, from the environment, and from --authfile', async () => {
    const authfile = await authFile('registry-auth.json', { auths: { [registry.host]: { auth: basic('alice', PASSWORD) } } });
    const runs = [
      await regevents([...planArgs(registry.url, policy), '--creds', `alice:${PASSWORD}`], { env: isolated }),
      await regevents([...planArgs(registry.url, policy), '--creds', 'alice', '--password-stdin'], { env: isolated, stdin: `${PASSWORD}\n` }),
      await regevents([...planArgs(registry.url, policy), '--creds', 'alice'], { env: { ...isolated, REGEVENTS_REGISTRY_PASSWORD: PASSWORD } }),
      await regevents([...planArgs(registry.url, policy), '--authfile', authfile], { env: isolated }),
      await regevents(planArgs(registry.url, policy), { env: { ...isolated, REGISTRY_AUTH_FILE: authfile } }),
    ];
    for (const run of runs) {
      expect(run.stderr).not.toContain('regevents:');
      expect(run.code).toBe(0);
      const planned = JSON.parse(run.stdout) as RetentionPlan;
      expect(planned.entries.map((entry) => `${entry.action} ${entry.tag}`).sort()).toEqual(['keep keep-1', 'remove old-1']);
    }
    expect(runs.some(leaked)).toBe(false);
  });

  it('a wrong password exits 3 with the registry’s refusal, never the password, not even with --debug', async () => {
    const wrong = await regevents([...planArgs(registry.url, policy), '--creds', `alice:${WRONG}`, '--debug'], { env: isolated });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain(`${registry.host} refused the credentials of user alice (401 UNAUTHORIZED)`);
    expect(leaked(wrong)).toBe(false);
    expect(wrong.stderr).not.toContain(basic('alice', WRONG));
    const none = await regevents(planArgs(registry.url, policy), { env: isolated });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('wants credentials (401 UNAUTHORIZED): pass --creds or --authfile');
  });

  it('--help names the flags and shows no password from the environment', async () => {
    const help = await regevents(['retention', 'plan', '--help'], { env: { ...isolated, REGEVENTS_REGISTRY_PASSWORD: PASSWORD } });
    expect(help.code).toBe(0);
    for (const flag of ['--creds <user[:password]>', '--password-stdin', '--authfile <path>', 'credential helpers']) expect(help.stdout).toContain(flag);
    expect(leaked(help)).toBe(false);
  });
});

describe.skipIf(!peers.available)('retention plan against docker-registry 2.8.2 behind a token server', () => {
  let tokens: RunningTokenServer;
  let registry: RunningRegistry;
  let policy: string;

  beforeAll(async () => {
    tokens = await startTokenServer({ users: USERS });
    registry = await startRegistry({ config: (base) => ({ ...registryConfig(base), auth: tokens.registryAuth }) });
    await push(createRegistryClient({ baseUrl: registry.url, auth: { username: 'alice', password: PASSWORD } }), 'app', 'keep-1', 3);
    policy = join(dir, 'token-retention.yml');
    await writeFile(policy, "policies:\n  - repositories: ['**']\n    rules:\n      - remove: { olderThan: 24h }\n");
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
  });

  it('gets tokens with the basic credentials; a wrong password is refused at the token endpoint with exit 3', async () => {
    const right = await regevents([...planArgs(registry.url, policy), '--creds', 'alice', '--password-stdin'], { env: isolated, stdin: PASSWORD });
    expect(right.code).toBe(0);
    expect((JSON.parse(right.stdout) as RetentionPlan).entries.map((entry) => entry.tag)).toEqual(['keep-1']);
    expect(tokens.requests.some((request) => request.account === 'alice' && request.status === 200)).toBe(true);
    const wrong = await regevents([...planArgs(registry.url, policy), '--creds', `alice:${WRONG}`], { env: isolated });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/token request to http:\/\/127\.0\.0\.1:\d+\/token answered 401/);
    expect(leaked(right) || leaked(wrong)).toBe(false);
  });
});
