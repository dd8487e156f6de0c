import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

/** A notification POST captured from a real registry, shipped by @regevents/schemas. */
export interface Fixture {
  /** `<registry version>/<scenario>/<NNN>`, e.g. `2.8.2/push-by-tag/003`. */
  name: string;
  scenario: string;
  bodyPath: string;
  metaPath: string;
}

export interface FixtureMeta {
  description: string;
  request: { headers: [string, string][] };
}

function fixturesRoot(): string {
  const schemasPackage = createRequire(import.meta.url).resolve('@regevents/schemas/package.json');
  return join(dirname(schemasPackage), 'fixtures', 'distribution');
}

const numericCompare = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export function listFixtures(): Fixture[] {
  const root = fixturesRoot();
  const fixtures: Fixture[] = [];
  for (const version of readdirSync(root).sort(numericCompare)) {
    for (const scenario of readdirSync(join(root, version)).sort()) {
      const dir = join(root, version, scenario);
      for (const file of readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).sort()) {
        const stem = file.slice(0, -'.json'.length);
        fixtures.push({ name: `${version}/${scenario}/${stem}`, scenario, bodyPath: join(dir, file), metaPath: join(dir, `${stem}.meta.json`) });
      }
    }
  }
  return fixtures;
}

/**
 * Finds fixtures by name: a full name (`2.8.2/push-by-tag/003`), one without the version
 * (`push-by-tag/003`, newest version), or a whole scenario (`push-by-tag`, every POST in order).
 */
export function findFixtures(name: string): Fixture[] {
  const all = listFixtures();
  const exact = all.filter((f) => f.name === name);
  if (exact.length > 0) return exact;
  const versions = [...new Set(all.map((f) => f.name.split('/')[0] as string))].sort(numericCompare).reverse();
  for (const version of versions) {
    const inVersion = all.filter((f) => f.name.startsWith(`${version}/`));
    const found = inVersion.filter((f) => f.name === `${version}/${name}` || f.scenario === name);
    if (found.length > 0) return found;
  }
  throw new CliError(`no fixture named "${name}"; run \`regevents fixtures list\``);
}

export function readFixtureMeta(fixture: Fixture): FixtureMeta {
  return JSON.parse(readFileSync(fixture.metaPath, 'utf8')) as FixtureMeta;
}
