// parse + lint of a 200-endpoint config against a plain `yaml` parse of the same text, measured
// side by side in one run. Needs `npm run build` first (turbo's bench task depends on build).
import { saveBenchReport } from '@regevents/registry-harness';
import { Bench } from 'tinybench';
import { LineCounter, parse, parseDocument } from 'yaml';
import { parseRegistryConfig } from '../dist/index.js';

function endpoint(index) {
  return [
    `    - name: listener-${index}`,
    `      url: https://hooks-${index % 7}.example.com/registry/${index}`,
    '      headers:',
    `        Authorization: [Bearer token-${index}]`,
    '        X-Source: [registry]',
    `      timeout: ${index % 2 ? '500ms' : '2s'}`,
    `      threshold: ${3 + (index % 5)}`,
    '      backoff: 1s',
    ...(index % 3 === 0 ? ['      ignore:', '        mediatypes: [application/octet-stream]', '        actions: [pull]'] : []),
  ].join('\n');
}

const text = [
  'version: 0.1',
  'storage:',
  '  filesystem:',
  '    rootdirectory: /var/lib/registry',
  'http:',
  '  addr: :5000',
  'notifications:',
  '  events:',
  '    includereferences: true',
  '  endpoints:',
  ...Array.from({ length: 200 }, (_, index) => endpoint(index)),
  '',
].join('\n');

const check = parseRegistryConfig(text);
if (check.notifications.endpoints.length !== 200 || check.diagnostics.some((d) => d.severity === 'error')) {
  throw new Error(`the benchmark config does not parse cleanly: ${JSON.stringify(check.diagnostics.slice(0, 3))}`);
}

const tasks = {
  'yaml parse(text)': () => parse(text),
  'yaml parseDocument, same options as ours': () => parseDocument(text, { lineCounter: new LineCounter(), version: '1.1', uniqueKeys: false }),
  'parseRegistryConfig (parse + decode + lint)': () => parseRegistryConfig(text),
};

// The machine is shared, so the tasks run in alternating rounds and each keeps its median time.
const ROUNDS = 3;
const medians = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  for (const task of bench.tasks) medians[task.name].push(task.result.latency.p50);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = Object.fromEntries(Object.entries(medians).map(([name, values]) => [name, median(values)]));

const ours = ms['parseRegistryConfig (parse + decode + lint)'];
const baseline = ms['yaml parse(text)'];
await saveBenchReport({
  package: '@regevents/config',
  title: `parse + lint a 200-endpoint registry config (${text.length} bytes)`,
  baseline: 'yaml parse(text)',
  unit: 'configs/s',
  results: Object.entries(ms).map(([name, value]) => ({ name, opsPerSecond: 1000 / value, ratio: baseline / value })),
  notes: [
    `median latency of ${ROUNDS} alternating tinybench rounds; ${check.diagnostics.length} warnings/info on the benchmark config`,
    `parseRegistryConfig takes ${(ours / baseline).toFixed(2)}x the time of yaml parse(text), ${(ours / ms['yaml parseDocument, same options as ours']).toFixed(2)}x the parseDocument it builds on (decode + lint overhead)`,
  ],
});
