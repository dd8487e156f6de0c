import { readdirSync, readFileSync } from 'node:fs';

const root = new URL('../../../fixtures/distribution/', import.meta.url);

/** Every captured notification body, as the raw strings a receiver gets. */
export function fixtureBodies() {
  const bodies = [];
  for (const version of readdirSync(root)) {
    for (const scenario of readdirSync(new URL(`${version}/`, root))) {
      const dir = new URL(`${version}/${scenario}/`, root);
      for (const file of readdirSync(dir).filter((name) => /^\d+\.json$/.test(name))) {
        bodies.push(readFileSync(new URL(file, dir), 'utf8'));
      }
    }
  }
  return bodies;
}
