import { readdirSync, readFileSync } from 'node:fs';

const root = new URL('../../../fixtures/vendors/', import.meta.url);

export interface VendorFixture {
  /** `harbor/push-artifact`. */
  name: string;
  /** The vendor folder: `harbor`, `harbor-cloudevents`, `ghcr`... */
  folder: string;
  text: string;
  /** The provenance sidecar (`source`, `commit` or `docsUrl`, and `headers` the vendor sends). */
  meta: Record<string, unknown>;
}

/** Every vendor fixture (fixtures/vendors) with its provenance sidecar. */
export function vendorFixtures(): VendorFixture[] {
  return readdirSync(root).flatMap((folder) =>
    readdirSync(new URL(`${folder}/`, root))
      .filter((file) => file.endsWith('.json') && !file.endsWith('.meta.json'))
      .map((file) => {
        const base = file.replace(/\.json$/, '');
        return {
          name: `${folder}/${base}`,
          folder,
          text: readFileSync(new URL(`${folder}/${file}`, root), 'utf8'),
          meta: JSON.parse(readFileSync(new URL(`${folder}/${base}.meta.json`, root), 'utf8')) as Record<string, unknown>,
        };
      }),
  );
}

/** One vendor fixture by name (`harbor/push-artifact`). */
export function vendorFixture(name: string): VendorFixture {
  const found = vendorFixtures().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no vendor fixture ${name}`);
  return found;
}
