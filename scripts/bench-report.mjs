// Gathers the reports every package's benchmark saved under bench/results/ into
// bench/results.json and bench/RESULTS.md, with the machine they were measured on.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

const dir = new URL('../bench/results/', import.meta.url);
const reports = [];
for (const name of (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.json')).sort()) {
  reports.push(JSON.parse(await readFile(new URL(name, dir), 'utf8')));
}
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
await writeFile(new URL('../bench/results.json', import.meta.url), `${JSON.stringify({ machine, reports }, null, 2)}\n`);

const lines = [
  '# Benchmark results',
  '',
  `Measured on ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.platform}).`,
  'Each ratio is against the first row of its table, measured side by side in the same run.',
  '',
];
for (const report of reports) {
  lines.push(`## ${report.package}: ${report.title}`, '');
  if (report.target) lines.push(`Target: ${report.target}.`, '');
  lines.push(`| task | ${report.unit} | vs ${report.baseline} |`, '| --- | ---: | ---: |');
  for (const r of report.results) lines.push(`| ${r.name} | ${Math.round(r.opsPerSecond).toLocaleString('en')} | ${r.ratio.toFixed(2)}x |`);
  for (const note of report.notes ?? []) lines.push('', note);
  lines.push('');
}
await writeFile(new URL('../bench/RESULTS.md', import.meta.url), lines.join('\n'));
console.log(`bench/results.json and bench/RESULTS.md: ${reports.length} reports`);
