import { describe, expect, it } from 'vitest';
import { checkPolicies, readPolicyFile } from '../src/index.js';

const minimal = { name: 'eu', source: { registry: 'http://a:5000' }, targets: [{ registry: 'http://b:5000/' }] };

describe('policies', () => {
  it('fills the defaults of a minimal policy', () => {
    expect(checkPolicies(minimal)).toEqual({
      policies: [{ name: 'eu', source: { registry: 'http://a:5000' }, targets: [{ name: 'target-0', registry: 'http://b:5000', concurrency: 4 }], trigger: 'event', deletes: 'ignore', overwrite: true, attempts: 8, backoffMs: 1000 }],
      diagnostics: [],
    });
  });

  it('reads the YAML form with Go durations, selectors, credentials from the environment and rate limits', () => {
    const { policies, diagnostics } = readPolicyFile(`
policies:
  - name: eu
    source:
      registry: http://a:5000
      repositories: [team/**]
      tags: { semver: ">=1.0.0" }
      exclude: { tags: [latest] }
    targets:
      - name: dc2
        registry: https://b.example
        credentials: { username: mirror, passwordEnv: DC2_PASSWORD }
        namespace: /mirror/
        platforms: [{ os: linux, architecture: arm64, variant: v8 }]
        rateLimit: { max: 10, per: 1m }
    trigger: { every: 1h30m, event: true }
    deletes: propagate
    overwrite: false
    backoff: 2s
`);
    expect(diagnostics).toEqual([]);
    expect(policies[0]).toMatchObject({
      source: { repositories: ['team/**'], tags: { semver: '>=1.0.0' }, exclude: { tags: { glob: ['latest'] } } },
      targets: [{ name: 'dc2', credentials: { username: 'mirror', passwordEnv: 'DC2_PASSWORD' }, namespace: 'mirror', platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }], rateLimit: { max: 10, perMs: 60_000 } }],
      trigger: { everyMs: 5_400_000, event: true },
      deletes: 'propagate',
      overwrite: false,
      backoffMs: 2000,
    });
  });

  it('reports every mistake at its path and position, and returns no policy', () => {
    const { policies, diagnostics } = readPolicyFile(`
policies:
  - name: eu
    source:
      registry: ftp://a
      tags: { regex: "(" }
    targets:
      - registry: http://user:secret@b
        concurrency: 0
      - { name: x, registry: http://c, credentials: { username: u } }
    trigger: { every: 500 }
    deletes: propagte
  - name: eu
    source: { registry: http://a }
    target: []
`);
    expect(policies).toEqual([]);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.path}`)).toEqual([
      '5:17 error invalid-url policies[0].source.registry',
      '6:22 error invalid-regex policies[0].source.tags.regex',
      '8:19 error invalid-url policies[0].targets[0].registry',
      '9:22 error out-of-range policies[0].targets[0].concurrency',
      '10:53 error invalid-value policies[0].targets[1].credentials',
      '11:23 error invalid-duration policies[0].trigger.every',
      '12:14 error invalid-value policies[0].deletes',
      '15:13 warning unknown-key policies[1].target',
      '13:5 error missing-key policies[1]',
    ]);
    expect(diagnostics.find((d) => d.code === 'invalid-value' && d.path.endsWith('deletes'))?.message).toContain('did you mean "propagate"');
    expect(JSON.stringify(diagnostics)).not.toContain('secret');
  });

  it('refuses two policies, or two targets, with one name', () => {
    const { diagnostics } = checkPolicies([minimal, { ...minimal, targets: [{ registry: 'http://b', name: 't' }, { registry: 'http://c', name: 't' }] }, minimal]);
    expect(diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual(['duplicate-name [1].targets[1].name', 'duplicate-name [1].name', 'duplicate-name [2].name']);
  });

  it('never throws on hostile input', () => {
    for (const value of [null, 42, 'x', [], [null], { name: {} }, { targets: 'x' }]) expect(checkPolicies(value).policies).toEqual([]);
    expect(readPolicyFile('a: [').diagnostics[0]?.code).toBe('yaml-syntax');
  });
});
