import { readdirSync, readFileSync } from 'node:fs';
import { detectFormat, InvalidPayloadError, NORMALIZED_KINDS, normalize, UnrecognizedFormatError } from '@regevents/formats';
import { validateEnvelope, validateVendor, type VendorSchemaName } from '@regevents/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HANG_THRESHOLD_MS } from './bounded.js';
import { mutate, mutation } from './mutate.js';

const fixtures = new URL('../../../fixtures/', import.meta.url);

interface Sample {
  name: string;
  body: unknown;
  headers: Record<string, string>;
}

/** Harbor webhook policies configure a receiver; they are not bodies a receiver gets. */
const NOT_BODIES = new Set(['harbor-policy']);

/** Every vendor example body and every captured distribution body, with the headers its sidecar records. */
function samples(): Sample[] {
  const found: Sample[] = [];
  const vendors = new URL('vendors/', fixtures);
  for (const vendor of readdirSync(vendors).filter((name) => !NOT_BODIES.has(name))) {
    for (const file of readdirSync(new URL(`${vendor}/`, vendors)).filter((name) => name.endsWith('.json') && !name.endsWith('.meta.json'))) {
      const read = (name: string) => readFileSync(new URL(`${vendor}/${name}`, vendors), 'utf8');
      const meta = JSON.parse(read(file.replace(/\.json$/, '.meta.json'))) as { headers?: Record<string, string> };
      found.push({ name: `${vendor}/${file}`, body: JSON.parse(read(file)), headers: meta.headers ?? {} });
    }
  }
  const distribution = new URL('distribution/2.8.2/', fixtures);
  for (const scenario of readdirSync(distribution)) {
    for (const file of readdirSync(new URL(`${scenario}/`, distribution)).filter((name) => /^\d+\.json$/.test(name))) {
      found.push({ name: `distribution/${scenario}/${file}`, body: JSON.parse(readFileSync(new URL(`${scenario}/${file}`, distribution), 'utf8')), headers: {} });
    }
  }
  return found;
}

const SAMPLES = samples();

type Outcome = { accepted: true } | { accepted: false; error: UnrecognizedFormatError | InvalidPayloadError };

/** normalize resolves, or rejects with one of its two documented errors (with issues), in bounded time. */
async function outcomeOf(body: unknown, headers?: Record<string, string>): Promise<Outcome> {
  const start = performance.now();
  try {
    const events = await normalize(body, headers);
    for (const event of events) {
      expect(NORMALIZED_KINDS).toContain(event.kind);
      expect(typeof event.id === 'string' && event.id.length > 0).toBe(true);
      // a valid date is checked by the table below, which records a known defect
      expect(event.occurredAt).toBeInstanceOf(Date);
      expect(typeof event.repository).toBe('string');
    }
    return { accepted: true };
  } catch (error) {
    if (!(error instanceof UnrecognizedFormatError || error instanceof InvalidPayloadError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    return { accepted: false, error };
  } finally {
    expect(performance.now() - start).toBeLessThan(HANG_THRESHOLD_MS);
  }
}

/** What normalize accepted must pass the schema of the format it was detected as. */
function validatesAsDetected(value: unknown, headers: Record<string, string>): boolean {
  const format = detectFormat(value, headers);
  if (format === undefined) return false;
  return format === 'distribution' ? validateEnvelope(value).ok : validateVendor(format as VendorSchemaName, value).ok;
}

describe('normalize under property tests', () => {
  it('accepts every fixture as it is (the mutations below start from valid bodies)', async () => {
    expect(SAMPLES.length).toBeGreaterThan(40);
    for (const sample of SAMPLES) expect({ name: sample.name, ...(await outcomeOf(JSON.stringify(sample.body), sample.headers)) }).toEqual({ name: sample.name, accepted: true });
  });

  it('mutated fixtures: accepted only when they still validate as the detected format, otherwise a documented error', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLES), mutation, async (sample, change) => {
        const body = mutate(sample.body, change);
        const outcome = await outcomeOf(JSON.stringify(body), sample.headers);
        if (outcome.accepted) {
          accepted++;
          expect(validatesAsDetected(body, sample.headers)).toBe(true);
        }
      }),
      { numRuns: 3_000 },
    );
    // the mutations must leave some bodies valid, or the acceptance branch was never tested
    expect(accepted).toBeGreaterThan(100);
  });

  it('arbitrary bytes, text and JSON: a documented error or a valid result, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 2_000 }), fc.string({ unit: 'binary', maxLength: 2_000 }), fc.jsonValue({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value))),
        fc.dictionary(fc.constantFrom('x-github-event', 'ce-type', 'content-type', 'x-jfrog-event-auth', 'user-agent'), fc.string({ maxLength: 40 }), { maxKeys: 3 }),
        async (body, headers) => {
          const outcome = await outcomeOf(body, headers);
          if (outcome.accepted) expect(validatesAsDetected(typeof body === 'string' ? JSON.parse(body) : body instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(body)) : body, headers)).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  // Vendor times pass the vendor schemas (plain strings or numbers there); normalize must still
  // refuse an unreadable one rather than return an Invalid Date.
  it.each([
    ['acr/push.json', ['timestamp'], 'not a time'],
    ['ecr/image-push.json', ['time'], ''],
    ['ghcr/package-published.json', ['package', 'package_version', 'updated_at'], 'NaN'],
    ['dockerhub/push.json', ['push_data', 'pushed_at'], 1e308],
  ] as const)('%s with %j = %j is rejected with InvalidPayloadError', async (name, path, value) => {
    const sample = SAMPLES.find((candidate) => candidate.name === name);
    if (!sample) throw new Error(`fixture ${name} is missing`);
    const body = structuredClone(sample.body) as Record<string | number, unknown>;
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, body);
    parent[path[path.length - 1] as string | number] = value;
    await expect(normalize(JSON.stringify(body), sample.headers)).rejects.toBeInstanceOf(InvalidPayloadError);
  });

  it('oversized, deeply nested and non-UTF-8 bodies get UnrecognizedFormatError', async () => {
    const cases: unknown[] = [
      `{"events":[${'{},'.repeat(600_000)}{}]}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      '',
      new ArrayBuffer(0),
    ];
    for (const body of cases) {
      const outcome = await outcomeOf(body);
      expect(outcome.accepted).toBe(false);
      if (!outcome.accepted) expect(outcome.error).toBeInstanceOf(UnrecognizedFormatError);
    }
  });
});
