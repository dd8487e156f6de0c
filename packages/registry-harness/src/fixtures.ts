import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../fixtures/distribution/', import.meta.url));

export interface CapturedBody {
  /** `2.8.2/push-by-tag/001.json`. */
  name: string;
  version: string;
  scenario: string;
  body: Buffer;
}

/** The notification bodies captured from the real registry (fixtures/distribution), in capture order. */
export function capturedBodies(): CapturedBody[] {
  const bodies: CapturedBody[] = [];
  for (const version of readdirSync(root).sort()) {
    for (const scenario of readdirSync(`${root}/${version}`).sort()) {
      const dir = `${root}/${version}/${scenario}`;
      for (const file of readdirSync(dir).filter((name) => /^\d+\.json$/.test(name)).sort()) {
        bodies.push({ name: `${version}/${scenario}/${file}`, version, scenario, body: readFileSync(`${dir}/${file}`) });
      }
    }
  }
  return bodies;
}
