import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regevents } from './cli.js';

const fixture = (name: string) => fileFromRoot(`fixtures/distribution/2.8.2/${name}.json`);
const fileFromRoot = (path: string) => new URL(`../../../${path}`, import.meta.url).pathname;

describe('regevents validate', () => {
  it('accepts a captured envelope and prints its event', async () => {
    const result = await regevents(['validate', fixture('copy-to-repository/003')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid distribution envelope with 1 event');
    expect(result.stdout).toMatch(/mount\s+blob other\/app@sha256:e2585dfb43f6 from demo\/app/);
  });

  it('reads standard input and accepts a bare event', async () => {
    const event = JSON.parse(readFileSync(fixture('push-by-tag/003'), 'utf8')).events[0];
    const result = await regevents(['validate', '-', '--strict'], { stdin: JSON.stringify(event) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid distribution event');
    expect(result.stdout).toMatch(/push\s+manifest demo\/app:1\.0/);
  });

  it('exits 1 and prints every issue with its path', async () => {
    const envelope = JSON.parse(readFileSync(fixture('push-by-tag/003'), 'utf8'));
    envelope.events[0].target.digest = 'nope';
    envelope.events[0].extra = true;
    const tolerant = await regevents(['validate', '-'], { stdin: JSON.stringify(envelope) });
    expect(tolerant.code).toBe(1);
    expect(tolerant.stderr).toContain('events[0].target.digest: must look like <algorithm>:<hex>');
    expect(tolerant.stderr).not.toContain('events[0].extra');
    const strict = await regevents(['validate', '-', '--strict'], { stdin: JSON.stringify(envelope) });
    expect(strict.stderr).toContain('events[0].extra: is not a known field (strict mode)');
  });

  it('an event with no action still gets its other issues printed (a malformed digest)', async () => {
    const envelope = JSON.parse(readFileSync(fixture('push-by-tag/003'), 'utf8'));
    delete envelope.events[0].action;
    envelope.events[0].target.digest = 'nope';
    const result = await regevents(['validate', '-'], { stdin: JSON.stringify(envelope) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('events[0].action: is required');
    expect(result.stderr).toContain('events[0].target.digest: must look like <algorithm>:<hex>');
  });

  it('reports unreadable input as one line with exit 2', async () => {
    const missing = await regevents(['validate', '/nonexistent/body.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('regevents: /nonexistent/body.json: no such file');
    const garbage = await regevents(['validate', '-'], { stdin: new Uint8Array([0xff, 0xfe, 0x00]) });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('(body): is not valid UTF-8');
  });

  it('rejects an unknown --format with usage exit 2', async () => {
    const result = await regevents(['validate', '-', '--format', 'harbour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Allowed choices are auto, distribution, gitlab, harbor');
  });
});

describe('regevents validate on other registries\' payloads', () => {
  const vendorFixture = (name: string) => fileFromRoot(`fixtures/vendors/${name}.json`);

  it('detects the format and prints the normalized events', async () => {
    const result = await regevents(['validate', vendorFixture('harbor/push-artifact')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('valid harbor payload, 1 normalized event');
    expect(result.stdout).toMatch(/^ {2}artifact\.pushed \S+/m);
  });

  it('checks a payload against the format named with --format', async () => {
    const acr = JSON.parse(readFileSync(vendorFixture('acr/push'), 'utf8'));
    expect((await regevents(['validate', '-', '--format', 'acr'], { stdin: JSON.stringify(acr) })).code).toBe(0);
    const asHarbor = await regevents(['validate', '-', '--format', 'harbor'], { stdin: JSON.stringify(acr) });
    expect(asHarbor.code).toBe(1);
    expect(asHarbor.stderr).toContain('invalid harbor payload');
  });

  it('reports an unreadable vendor time with exit 1', async () => {
    const acr = { ...JSON.parse(readFileSync(vendorFixture('acr/push'), 'utf8')), timestamp: 'soon' };
    const result = await regevents(['validate', '-'], { stdin: JSON.stringify(acr) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("(time): event 0's time is not a readable date or timestamp");
  });
});

describe('regevents fixtures', () => {
  it('lists every captured fixture with a summary', async () => {
    const result = await regevents(['fixtures', 'list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBe(44);
    expect(lines).toContainEqual(expect.stringMatching(/^2\.8\.2\/delete-by-tag\/003\s+delete tag demo\/app:1\.0$/));
  });

  it('shows a fixture with the headers the registry sent', async () => {
    const result = await regevents(['fixtures', 'show', 'push-by-tag/003', '--headers']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Content-Type: application/vnd.docker.distribution.events.v1+json');
    expect(result.stdout).toContain(readFileSync(fixture('push-by-tag/003'), 'utf8'));
  });

  it('shows a whole scenario in order and names unknown fixtures clearly', async () => {
    const scenario = await regevents(['fixtures', 'show', 'delete-by-tag']);
    expect(scenario.stdout.match(/^# 2\.8\.2\/delete-by-tag\/\d+/gm)).toEqual(['# 2.8.2/delete-by-tag/001', '# 2.8.2/delete-by-tag/002', '# 2.8.2/delete-by-tag/003']);
    const unknown = await regevents(['fixtures', 'show', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('regevents: no fixture named "nope"; run `regevents fixtures list`');
  });
});

describe('help and errors', () => {
  it('every command has --help with examples', async () => {
    for (const command of [['validate'], ['fixtures']]) {
      const result = await regevents([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Examples:');
    }
  });

  it('an unknown command exits 2', async () => {
    const result = await regevents(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('--debug', () => {
  it('adds the stack to the one-line error, before or after the command', async () => {
    const plain = await regevents(['validate', '/nonexistent.json']);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    for (const args of [['validate', '/nonexistent.json', '--debug'], ['--debug', 'validate', '/nonexistent.json']]) {
      const debug = await regevents(args);
      expect(debug.code).toBe(2);
      expect(debug.stderr).toMatch(/CliError: \/nonexistent\.json: no such file\n\s+at /);
    }
  });
});
