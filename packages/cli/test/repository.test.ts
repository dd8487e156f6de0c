import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const rootManifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } }> };

describe('a fresh clone', () => {
  it('installs with no engine warnings on the oldest supported Node', () => {
    const oldest = semver.minVersion(rootManifest.engines.node)?.version;
    expect(oldest).toBeDefined();
    const unsupported = Object.entries(lock.packages)
      .filter(([, entry]) => typeof entry.engines?.node === 'string' && !semver.satisfies(oldest as string, entry.engines.node))
      .map(([path, entry]) => `${path}@${entry.version} requires node ${entry.engines?.node}`);
    expect(unsupported).toEqual([]);
  });
});
