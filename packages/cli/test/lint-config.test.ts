import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regevents } from './cli.js';

async function configFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'regevents-lint-')), 'config.yml');
  await writeFile(path, text);
  return path;
}

const clean = `version: 0.1
notifications:
  endpoints:
    - name: app
      url: https://hooks.example.com/events
      timeout: 2s
`;

describe('regevents lint-config', () => {
  it('prints file:line:col severity code message, exit 1 on errors', async () => {
    const file = await configFile(`version: 0.1
notifications:
  endpoints:
    - name: app
      url: ftp://hooks.example.com
      timeout: 500
`);
    const result = await regevents(['lint-config', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}:5:12 error invalid-url`);
    expect(result.stdout).toContain(`${file}:6:16 warning duration-without-unit`);
    expect(result.stderr).toContain(`${file}: 1 error, 1 warning; 1 enabled endpoint`);
  });

  it('exits 0 on a clean config, and 1 on warnings only with --strict', async () => {
    expect((await regevents(['lint-config', await configFile(clean)])).code).toBe(0);
    const warned = await configFile(clean.replace('timeout: 2s', 'treshold: 3'));
    expect((await regevents(['lint-config', warned])).code).toBe(0);
    const strict = await regevents(['lint-config', warned, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('did you mean "threshold"?');
  });

  it('applies REGISTRY_* variables with --env, the 2.x way', async () => {
    const env = { REGISTRY_NOTIFICATIONS_ENDPOINTS: '[{name: fromenv, url: "ftp://x"}]' };
    const withEnv = await regevents(['lint-config', await configFile(clean), '--env'], { env });
    expect(withEnv.code).toBe(1);
    expect(withEnv.stdout).toMatch(/^REGISTRY_NOTIFICATIONS_ENDPOINTS:\d+:\d+ error invalid-url/m);
    const withoutEnv = await regevents(['lint-config', await configFile(clean)], { env });
    expect(withoutEnv.code).toBe(0);
  });

  it('reads standard input and refuses an unknown version', async () => {
    expect((await regevents(['lint-config', '-'], { stdin: clean })).code).toBe(0);
    const bad = await regevents(['lint-config', '-', '--version', '4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are 2.8, 3.0, 3.1, 3');
  });

  it('gives a diagnostic, not a crash, for binary garbage', async () => {
    const result = await regevents(['lint-config', '-'], { stdin: new Uint8Array([0, 159, 146, 150, 255, 10, 58, 58]) });
    expect([0, 1]).toContain(result.code);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.stderr).toMatch(/<stdin>: \d+ errors?, \d+ warnings?/);
  });
});
