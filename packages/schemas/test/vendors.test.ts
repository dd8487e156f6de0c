import { readdirSync } from 'node:fs';
import { vendorFixture, vendorFixtures } from '@regevents/registry-harness';
import { describe, expect, it } from 'vitest';
import { validateVendor, VENDOR_SCHEMA_NAMES, type VendorSchemaName } from '../src/index.js';

const vendorSchemaFiles = readdirSync(new URL('../../../schemas/vendors/', import.meta.url)).filter((name) => name.endsWith('.schema.json'));
const harborPush = () => JSON.parse(vendorFixture('harbor/push-artifact').text) as Record<string, unknown>;

describe('validateVendor', () => {
  it('has a validator for every file in schemas/vendors, and nothing else', () => {
    expect([...VENDOR_SCHEMA_NAMES].sort()).toEqual(vendorSchemaFiles.map((name) => name.replace('.schema.json', '')).sort());
  });

  it.each(vendorFixtures().map((f) => [f.name, f] as const))('%s validates against its vendor schema', (_name, f) => {
    const result = validateVendor(f.folder as VendorSchemaName, JSON.parse(f.text));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it("checks only the branch a Harbor payload's type selects, and names the types it knows", () => {
    const misspelt = validateVendor('harbor', { ...harborPush(), type: 'PUSH_IMAGE' });
    expect(misspelt.ok ? [] : misspelt.issues).toEqual([{ path: 'type', message: expect.stringMatching(/^must be one of PUSH_ARTIFACT, PULL_ARTIFACT, .*TAG_RETENTION \(got "PUSH_IMAGE"\)$/) }]);
    const push = harborPush();
    const withoutRepository = { ...push, event_data: { ...(push['event_data'] as object), repository: undefined } };
    const missing = validateVendor('harbor', JSON.parse(JSON.stringify(withoutRepository)));
    expect(missing.ok ? [] : missing.issues).toEqual([{ path: 'event_data.repository', message: 'is required' }]);
  });

  it("reports the schema's own expectations with property paths", () => {
    const push = harborPush();
    const data = push['event_data'] as { resources: { digest: string }[] };
    const badDigest = { ...push, event_data: { ...data, resources: [{ ...data.resources[0], digest: 'sha256 nope' }] } };
    const result = validateVendor('harbor', badDigest);
    expect(result.ok ? [] : result.issues).toEqual([{ path: 'event_data.resources[0].digest', message: 'must look like <algorithm>:<encoded>' }]);
  });

  it('refuses prototype-polluting keys even where the schema allows any field', () => {
    const polluted = JSON.parse('{"repository":"ns/app","docker_url":"quay.io/ns/app","updated_tags":["v1"],"extra":{"__proto__":{"admin":true}}}') as unknown;
    const result = validateVendor('quay', polluted);
    expect(result.ok ? [] : result.issues[0]).toEqual({ path: 'extra.__proto__', message: 'is a forbidden key (prototype pollution)' });
  });

  it('types the value by the schema and refuses an unknown schema name', () => {
    const result = validateVendor('quay', { repository: 'ns/app', docker_url: 'quay.io/ns/app', updated_tags: ['v1'] });
    expect(result.ok && result.value.updated_tags).toEqual(['v1']);
    expect(() => validateVendor('nexus' as VendorSchemaName, {})).toThrow(/no vendor schema named "nexus"/);
    for (const inherited of ['toString', '__proto__', 'constructor']) expect(() => validateVendor(inherited as VendorSchemaName, {})).toThrow(/no vendor schema named/);
  });
});
