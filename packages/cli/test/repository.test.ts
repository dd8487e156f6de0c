import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const rootManifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
interface Manifest {
  name: string;
  private?: boolean;
  bin?: Record<string, string>;
}
const workspaces = readdirSync(new URL('packages/', root)).map((dir) => ({
  dir: fileURLToPath(new URL(`packages/${dir}/`, root)),
  manifest: JSON.parse(readFileSync(new URL(`packages/${dir}/package.json`, root), 'utf8')) as Manifest,
}));
const published = workspaces.filter((workspace) => !workspace.manifest.private);
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

describe('what the repository ships', () => {
  const license = readFileSync(new URL('LICENSE', root), 'utf8');

  it('has the Apache-2.0 license its packages declare, whole', () => {
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license).toContain('APPENDIX: How to apply the Apache License to your work.');
  });

  it.each(published.map((workspace) => [workspace.manifest.name, workspace.dir]))('%s packs the same LICENSE', (_name, dir) => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' })) as { files: { path: string }[] }[];
    expect(packed?.files.map((file) => file.path)).toContain('LICENSE');
    expect(readFileSync(`${dir}LICENSE`, 'utf8')).toBe(license);
  }, 60_000);

  it('links every bin at install time: its file is committed, not built', () => {
    const bins = workspaces.flatMap((workspace) => Object.values(workspace.manifest.bin ?? {}).map((path) => `${workspace.dir}${path}`));
    expect(bins.length).toBeGreaterThan(0);
    for (const bin of bins) expect(() => execFileSync('git', ['ls-files', '--error-unmatch', bin], { stdio: 'pipe' }), bin).not.toThrow();
  });
});
