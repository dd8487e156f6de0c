// parseEnvelope (JSON.parse + precompiled validation) against JSON.parse alone and against
// ajv compiled at runtime from the same published schemas, over every captured fixture.
import { readFileSync, readdirSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { Bench } from 'tinybench';
import { parseEnvelope } from '../dist/index.js';
import { fixtureBodies } from './fixture-bodies.mjs';

const bodies = fixtureBodies();
const schemaDir = new URL('../../../schemas/distribution/', import.meta.url);
const ajv = new Ajv2020({ strict: false });
for (const name of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')));
const runtimeValidate = ajv.getSchema('https://regevents.dev/schemas/distribution/envelope.schema.json');

let sink = 0;
const overAllBodies = (fn) => () => {
  for (const body of bodies) sink += fn(body) ? 1 : 0;
};

const bench = new Bench({ time: 2_000, warmupTime: 500 });
bench
  .add('JSON.parse alone', overAllBodies((body) => JSON.parse(body)))
  .add('parseEnvelope (precompiled)', overAllBodies((body) => parseEnvelope(body)))
  .add('JSON.parse + ajv compiled at runtime', overAllBodies((body) => runtimeValidate(JSON.parse(body))));
await bench.run();

const envelopesPerSecond = (task) => task.result.throughput.mean * bodies.length;
const [baseline, ours, runtime] = bench.tasks.map(envelopesPerSecond);
const rows = bench.tasks.map((task) => ({
  task: task.name,
  'envelopes/s': Math.round(envelopesPerSecond(task)),
  'vs JSON.parse': (envelopesPerSecond(task) / baseline).toFixed(2),
}));
console.table(rows);
console.log(`parseEnvelope = ${(ours / baseline).toFixed(2)}x JSON.parse alone (target >= 0.75x); ${(ours / runtime).toFixed(2)}x runtime-compiled ajv; ${bodies.length} fixture bodies; checksum ${sink}`);
