import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { eventCatalog, matchesTriggerFilter, NORMALIZED_KINDS, toKnativeEventTypes } from '../src/index.js';

interface EventTypeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown> & { attributes?: { name: string; required: boolean; value?: string }[] };
}

function manifests(yaml: string): EventTypeManifest[] {
  return parseAllDocuments(yaml).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as EventTypeManifest;
  });
}

describe('event catalog', () => {
  const catalog = eventCatalog();

  it('lists the four distribution types and every normalized kind, each once', () => {
    expect(catalog.map((entry) => entry.type)).toEqual([
      'io.regevents.distribution.push',
      'io.regevents.distribution.pull',
      'io.regevents.distribution.delete',
      'io.regevents.distribution.mount',
      ...NORMALIZED_KINDS.map((kind) => `io.regevents.${kind}`),
    ]);
  });

  it('gives each type a description, a schema and an example of that type', () => {
    for (const entry of catalog) {
      expect(entry.description.length, entry.type).toBeGreaterThan(10);
      expect(entry.example.type).toBe(entry.type);
      expect(entry.example.dataschema).toBe(entry.dataschema);
      expect(entry.schema).toBeTypeOf('object');
    }
  });
});

describe('Knative EventTypes', () => {
  it('v1beta2: one EventType per catalog type with type, schema, description and a Broker reference', () => {
    const docs = manifests(toKnativeEventTypes({ namespace: 'registry', broker: 'default', apiVersion: 'v1beta2' }));
    expect(docs).toHaveLength(eventCatalog().length);
    const pushed = docs.find((doc) => doc.spec['type'] === 'io.regevents.artifact.pushed');
    expect(pushed).toEqual({
      apiVersion: 'eventing.knative.dev/v1beta2',
      kind: 'EventType',
      metadata: { name: 'io-regevents-artifact-pushed', namespace: 'registry' },
      spec: {
        type: 'io.regevents.artifact.pushed',
        schema: 'https://regevents.dev/schemas/normalized/event.schema.json',
        description: 'A manifest (image, index, chart or other artifact) was pushed or tagged.',
        reference: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' },
      },
    });
    expect(new Set(docs.map((doc) => doc.metadata.name)).size).toBe(docs.length);
    for (const doc of docs) expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('v1beta3: attributes list type, source, specversion and id as required, with the type and schema values', () => {
    const docs = manifests(toKnativeEventTypes({ namespace: 'registry', reference: { apiVersion: 'messaging.knative.dev/v1', kind: 'Channel', name: 'events' }, apiVersion: 'v1beta3', source: '//registry.example.com:5000' }));
    for (const doc of docs) {
      expect(doc.apiVersion).toBe('eventing.knative.dev/v1beta3');
      expect(doc.spec['type']).toBeUndefined();
      expect(doc.spec['reference']).toEqual({ apiVersion: 'messaging.knative.dev/v1', kind: 'Channel', name: 'events' });
      const attributes = new Map(doc.spec.attributes?.map((attribute) => [attribute.name, attribute]));
      for (const name of ['type', 'source', 'specversion', 'id']) expect(attributes.get(name)?.required, `${doc.metadata.name} ${name}`).toBe(true);
      expect(attributes.get('specversion')?.value).toBe('1.0');
      expect(attributes.get('source')?.value).toBe('//registry.example.com:5000');
    }
    const deleted = docs.find((doc) => doc.metadata.name === 'io-regevents-distribution-delete');
    expect(deleted?.spec.attributes?.find((a) => a.name === 'type')?.value).toBe('io.regevents.distribution.delete');
    expect(deleted?.spec.attributes?.find((a) => a.name === 'dataschema')?.value).toBe('https://regevents.dev/schemas/distribution/event.schema.json');
  });

  it('each catalog example passes a Trigger built from its EventType attributes', () => {
    const docs = manifests(toKnativeEventTypes({ namespace: 'registry', broker: 'default', apiVersion: 'v1beta3' }));
    for (const entry of eventCatalog()) {
      const doc = docs.find((candidate) => candidate.spec.attributes?.some((a) => a.name === 'type' && a.value === entry.type));
      const exact = Object.fromEntries((doc?.spec.attributes ?? []).filter((a) => a.value !== undefined).map((a) => [a.name, a.value as string]));
      expect(matchesTriggerFilter(entry.example, { filters: [{ exact }] }), entry.type).toBe(true);
    }
  });
});
