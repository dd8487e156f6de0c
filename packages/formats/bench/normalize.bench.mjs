// Throughput of normalize per format, side by side with @regevents/schemas' parseEnvelope on
// the same distribution body (the floor: parse + validate only), in one run. Ratios, not
// absolute numbers, are what to compare across machines.
import { readFileSync } from 'node:fs';
import { parseEnvelope } from '@regevents/schemas';
import { normalize, toCloudEvent, toHttpBinary } from '@regevents/formats';

const fixtures = new URL('../../../fixtures/', import.meta.url);
const read = (path) => readFileSync(new URL(path, fixtures), 'utf8');
const distribution = read('distribution/2.8.2/push-by-tag/003.json');

async function opsPerSecond(run, iterations = 3000) {
  for (let i = 0; i < 300; i++) await run();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  return (iterations * 1000) / (performance.now() - start);
}

const cases = {
  'parseEnvelope (distribution, baseline)': () => parseEnvelope(distribution),
  'normalize distribution': () => normalize(distribution),
  'normalize harbor (derived id)': ((body) => () => normalize(body))(read('vendors/harbor/push-artifact.json')),
  'normalize harbor-cloudevents': ((body) => () => normalize(body))(read('vendors/harbor-cloudevents/delete-artifact.json')),
  'normalize acr': ((body) => () => normalize(body))(read('vendors/acr/push.json')),
  'normalize ghcr (15 KiB, derived id)': ((body) => () => normalize(body))(read('vendors/ghcr/package-published.json')),
  'normalize + toCloudEvent + toHttpBinary': async () => toHttpBinary(toCloudEvent((await normalize(distribution))[0])),
};

const results = [];
for (const [name, run] of Object.entries(cases)) results.push([name, await opsPerSecond(run)]);
const baseline = results[0][1];
for (const [name, ops] of results) console.log(`${name.padEnd(44)} ${Math.round(ops).toString().padStart(8)} ops/s  ${(ops / baseline).toFixed(2)}x baseline`);
