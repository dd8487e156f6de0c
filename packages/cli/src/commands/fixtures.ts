import { readFileSync } from 'node:fs';
import type { Envelope } from '@regevents/types';
import { EXIT } from '../cli-error.js';
import { findFixtures, listFixtures, readFixtureMeta } from '../fixture-catalog.js';
import { describeTarget, type Io } from '../output.js';

function summary(bodyPath: string): string {
  const envelope = JSON.parse(readFileSync(bodyPath, 'utf8')) as Envelope;
  return envelope.events.map((event) => `${event.action} ${describeTarget(event)}`).join('; ');
}

export function listFixturesCommand(io: Io): number {
  for (const fixture of listFixtures()) io.out(`${fixture.name.padEnd(40)} ${io.colors.dim(summary(fixture.bodyPath))}`);
  return EXIT.ok;
}

export function showFixtureCommand(name: string, options: { headers?: boolean }, io: Io): number {
  for (const fixture of findFixtures(name)) {
    const meta = readFixtureMeta(fixture);
    io.out(io.colors.bold(`# ${fixture.name}: ${meta.description}`));
    if (options.headers) for (const [header, value] of meta.request.headers) io.out(`${header}: ${value}`);
    io.out(readFileSync(fixture.bodyPath, 'utf8'));
  }
  return EXIT.ok;
}
