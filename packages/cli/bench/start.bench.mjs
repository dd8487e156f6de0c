// What one `regevents` start costs, side by side in alternating rounds: a bare `node` start (the
// floor), the CLI answering `--help` and `validate`, and the same start with every command module
// imported up front, as the CLI did before a command loaded only what it uses. Wall time per start,
// since each is a process of its own. Needs `npm run build` first (turbo's bench task depends on build).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { saveBenchReport } from '@regevents/registry-harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const commands = fileURLToPath(new URL('../dist/commands/', import.meta.url));
const fixture = fileURLToPath(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url));
const eagerModules = ['demo', 'fixtures', 'lint-config', 'listen', 'relay', 'relay-dead-letters', 'relay-reconcile', 'relay-tail', 'replicate', 'retention', 'send', 'serve', 'validate'];
const eagerly = `${eagerModules.map((name) => `await import(${JSON.stringify(`${commands}${name}.js`)});`).join(' ')} process.argv = [process.execPath, ${JSON.stringify(bin)}, '--help']; await import(${JSON.stringify(bin)});`;

const rows = [
  { name: 'node, nothing loaded', args: ['-e', ''] },
  { name: 'regevents --help', args: [bin, '--help'] },
  { name: 'regevents validate (a captured envelope)', args: [bin, 'validate', fixture] },
  { name: 'regevents --help, every command module imported first (as before)', args: ['--input-type=module', '-e', eagerly] },
];

function startMs(args) {
  const began = performance.now();
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return performance.now() - began;
}

const times = rows.map(() => []);
for (let round = -1; round < ROUNDS; round++) {
  // each round in another order, so no row always follows the same one
  const order = rows.map((_, index) => (index + round + 1) % rows.length);
  if (round % 2 === 1) order.reverse();
  for (const index of order) {
    const ms = startMs(rows[index].args);
    if (round >= 0) times[index].push(ms);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medians = times.map(median);
const floor = medians[0];
await saveBenchReport({
  package: '@regevents/cli',
  title: 'one start of regevents (a process each)',
  baseline: rows[0].name,
  unit: 'starts/s',
  results: rows.map((row, index) => ({ name: row.name, opsPerSecond: 1000 / medians[index], ratio: floor / medians[index] })),
  notes: [`median wall time of ${ROUNDS} alternating rounds, ms per start: ${rows.map((row, index) => `${row.name} ${medians[index].toFixed(0)}`).join('; ')}`],
});
