import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { relayUrl, startRegevents, type Background } from './background.js';
import { CliError } from '../src/cli-error.js';
import { runInProcess } from './cli.js';
import { createWebhookHandler } from '@regevents/webhooks';
import { vendorAuthOption } from '../src/vendor-auth.js';
import { vendorAuthRefusal } from '../src/vendor-auth-refusal.js';

const SECRET = 'hunter2-harbor-auth-header';
let running: Background | undefined;

afterEach(async () => {
  await running?.interrupt();
  running = undefined;
});

const parse = (...values: string[]) => values.reduce((all, value) => vendorAuthOption(value, all), {});

describe('--vendor-auth vendor=value', () => {
  it('reads secrets, headers and unauthenticated; a second value is accepted next to the first (a rotation)', () => {
    expect(parse('harbor=Bearer a', 'harbor=Bearer b', 'ghcr=s1', 'artifactory=s2')).toEqual({ harbor: { authHeader: ['Bearer a', 'Bearer b'] }, ghcr: { secret: 's1' }, artifactory: { secret: 's2' } });
    expect(parse('gitlab=X-Token: one', 'gitlab=X-Token: two', 'gitlab=X-Other:three', 'quay=unauthenticated')).toEqual({ gitlab: { headers: { 'X-Token': ['one', 'two'], 'X-Other': 'three' } }, quay: { unauthenticated: true } });
  });

  it.each([
    ['hunter2'],
    ['nobody=hunter2'],
    ['harbor='],
    ['gitlab=hunter2'],
    ['gitlab=unauthenticated'],
    ['acr=Bad Name: hunter2'],
  ])('refuses %j with a CliError that does not hold the value', (value) => {
    let thrown: unknown;
    try {
      parse(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as Error).message).toMatch(/^--vendor-auth/);
    expect((thrown as Error).message).not.toContain('hunter2');
  });

  it('refuses a header and unauthenticated for the same vendor, in either order', () => {
    expect(() => parse('dockerhub=unauthenticated', 'dockerhub=X-Key: k')).toThrow(CliError);
    expect(() => parse('dockerhub=X-Key: k', 'dockerhub=unauthenticated')).toThrow(CliError);
  });
});

describe('regevents relay --format with --vendor-auth', () => {
  it("leaves a refusal of the distribution credentials as webhooks worded it: they are no --vendor-auth", () => {
    const auth = { harbor: { authHeader: SECRET } };
    let refusal: unknown;
    try {
      createWebhookHandler({ formats: ['harbor'], auth: { bearer: 'a-token', ...auth } });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ option: 'auth.bearer' });
    expect(vendorAuthRefusal(refusal, auth)).toBe(refusal);
  });

  it('refuses a format whose sender has no --vendor-auth, and a --vendor-auth for a format not listed, in flag terms (exit 2)', async () => {
    const missing = await runInProcess(['relay', '--port', '0', '--format', 'harbor']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--format lists 'harbor': --vendor-auth harbor=… is required");
    const unused = await runInProcess(['relay', '--port', '0', '--vendor-auth', `harbor=${SECRET}`]);
    expect(unused.code).toBe(2);
    expect(unused.stderr).toContain("--vendor-auth harbor=… needs --format 'harbor', 'harbor-cloudevents'");
    expect(unused.stderr).not.toContain(SECRET);
    const one = await runInProcess(['relay', '--port', '0', '--format', 'harbor-cloudevents']);
    expect(one.stderr).toContain("--format lists 'harbor-cloudevents': --vendor-auth harbor=… is required");
    const other = await runInProcess(['relay', '--port', '0', '--format', 'acr', '--vendor-auth', 'acr=X-Key: k', '--vendor-auth', `ghcr=${SECRET}`]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("--vendor-auth ghcr=… needs --format 'ghcr'");
    for (const refused of [missing, unused, one, other]) expect(refused.stderr).not.toMatch(/auth\.\w+|formats option/);
    expect(other.stderr).not.toContain(SECRET);
  });

  it("accepts Harbor's push with its auth_header and answers 401 without it; the value is never printed", async () => {
    running = startRegevents(['relay', '--port', '0', '--format', 'harbor', '--vendor-auth', `harbor=${SECRET}`]);
    const url = await relayUrl(running);
    const body = new Uint8Array(await readFile(new URL('../../../fixtures/vendors/harbor/push-artifact.json', import.meta.url)));
    const post = async (headers: Record<string, string>) => (await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;
    expect(await post({})).toBe(401);
    expect(await post({ authorization: 'not-it' })).toBe(401);
    expect(await post({ authorization: SECRET })).toBe(200);
    expect(running.stdout() + running.stderr()).not.toContain(SECRET);
  });
});
