import { readdirSync, readFileSync } from 'node:fs';

const root = new URL('../../../fixtures/distribution/', import.meta.url);

export interface CapturedFixture {
  name: string;
  body: Uint8Array;
}

/** Every notification body captured from the real registry. */
export function capturedFixtures(): CapturedFixture[] {
  const fixtures: CapturedFixture[] = [];
  for (const version of readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)) {
    for (const scenario of readdirSync(new URL(`${version}/`, root))) {
      const dir = new URL(`${version}/${scenario}/`, root);
      for (const file of readdirSync(dir).filter((name) => /^\d+\.json$/.test(name))) {
        fixtures.push({ name: `${version}/${scenario}/${file}`, body: readFileSync(new URL(file, dir)) });
      }
    }
  }
  return fixtures;
}

/** A fresh copy of the first event of a captured fixture, to break in a test. */
export function capturedEvent(name: string): Record<string, any> {
  const fixture = capturedFixtures().find((f) => f.name.endsWith(name));
  if (!fixture) throw new Error(`no captured fixture ${name}`);
  return JSON.parse(new TextDecoder().decode(fixture.body)).events[0];
}
