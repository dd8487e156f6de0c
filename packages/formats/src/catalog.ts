/**
 * The event catalog: every CloudEvent type regevents emits, and its rendering as Knative
 * `EventType` manifests so a cluster's consumers can discover them.
 */
import { stringify } from 'yaml';
import { CLOUDEVENT_TYPE_PREFIX, DISTRIBUTION_EVENT_SCHEMA, NORMALIZED_EVENT_SCHEMA, toCloudEvent, type CloudEvent } from './cloudevents.js';
import { NORMALIZED_KINDS, type NormalizedKind } from './model.js';
import { normalizedEventSchema } from './normalized-schema.js';

export interface CatalogEntry {
  /** CloudEvent `type`. */
  type: string;
  description: string;
  /** URL of the JSON Schema of `data` (the CloudEvent's `dataschema`). */
  dataschema: string;
  /** The JSON Schema itself (for distribution types, a reference to the published schema). */
  schema: Record<string, unknown>;
  /** An example CloudEvent of this type. */
  example: CloudEvent;
}

const DESCRIPTIONS: Record<NormalizedKind, string> = {
  'artifact.pushed': 'A manifest (image, index, chart or other artifact) was pushed or tagged.',
  'artifact.pulled': 'A manifest was pulled.',
  'artifact.deleted': 'A manifest was deleted.',
  'tag.deleted': 'A tag was removed.',
  'blob.pushed': 'A blob upload completed.',
  'blob.pulled': 'A blob was fetched.',
  'blob.mounted': 'A blob was mounted from another repository instead of uploaded.',
  'blob.deleted': 'A blob was deleted.',
  'repository.renamed': 'A repository or its namespace was renamed (GitLab).',
  'scan.completed': 'A vulnerability or SBOM scan finished (Harbor).',
  'scan.failed': 'A scan failed (Harbor).',
  'scan.stopped': 'A scan was stopped (Harbor).',
  'quota.exceeded': 'A push was refused because the project quota would be exceeded (Harbor).',
  'quota.warning': 'Project quota usage crossed its warning threshold (Harbor).',
  'replication.status': 'A replication task changed status (Harbor).',
  'retention.finished': 'A tag retention run finished (Harbor).',
};

const DISTRIBUTION_ACTIONS = {
  push: 'A CNCF distribution registry accepted a manifest or blob push.',
  pull: 'A CNCF distribution registry served a manifest or blob (GET or HEAD).',
  delete: 'A CNCF distribution registry deleted a manifest, tag or blob.',
  mount: 'A CNCF distribution registry mounted a blob from another repository.',
} as const;

const EXAMPLE_DIGEST = 'sha256:e2585dfb43f63cadbcba620934dcc8750633af9b76086d6a3d920799a110b675';
const EXAMPLE_TIME = '2024-05-01T12:00:00Z';

function distributionExample(action: keyof typeof DISTRIBUTION_ACTIONS): CloudEvent {
  const base = { id: '9c1e2b3a-4d5f-4a6b-8c7d-0e1f2a3b4c5d', timestamp: EXAMPLE_TIME, request: { id: '1f0c8a52-6b1e-4c7a-9f3d-2e4b5a6c7d8e', method: 'PUT', useragent: 'skopeo' }, actor: {}, source: { addr: 'registry.example.com:5000' } };
  const target = { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1024, digest: EXAMPLE_DIGEST, repository: 'library/app', url: `https://registry.example.com/v2/library/app/manifests/${EXAMPLE_DIGEST}` };
  const event =
    action === 'delete'
      ? { ...base, action, target: { digest: EXAMPLE_DIGEST, repository: 'library/app' } }
      : action === 'mount'
        ? { ...base, action, target: { ...target, mediaType: 'application/octet-stream', url: `https://registry.example.com/v2/library/app/blobs/${EXAMPLE_DIGEST}`, fromRepository: 'library/base' } }
        : { ...base, action, target: { ...target, tag: 'v1' } };
  return toCloudEvent(event as Parameters<typeof toCloudEvent>[0]);
}

function normalizedExample(kind: NormalizedKind): CloudEvent {
  return toCloudEvent({ kind, registry: { kind: 'harbor', host: 'harbor.example.com' }, repository: 'library/app', digest: EXAMPLE_DIGEST, tag: 'v1', actor: 'admin', occurredAt: new Date(EXAMPLE_TIME), id: '5f2c7e4a-1b3d-4e6f-8a9b-0c1d2e3f4a5b', raw: {} });
}

/** Every CloudEvent type regevents emits: the four distribution actions, then the normalized kinds. */
export function eventCatalog(): CatalogEntry[] {
  const distribution = (Object.keys(DISTRIBUTION_ACTIONS) as (keyof typeof DISTRIBUTION_ACTIONS)[]).map((action) => ({
    type: `${CLOUDEVENT_TYPE_PREFIX}distribution.${action}`,
    description: DISTRIBUTION_ACTIONS[action],
    dataschema: DISTRIBUTION_EVENT_SCHEMA,
    schema: { $ref: DISTRIBUTION_EVENT_SCHEMA },
    example: distributionExample(action),
  }));
  const normalized = NORMALIZED_KINDS.map((kind) => ({
    type: `${CLOUDEVENT_TYPE_PREFIX}${kind}`,
    description: DESCRIPTIONS[kind],
    dataschema: NORMALIZED_EVENT_SCHEMA,
    schema: normalizedEventSchema(kind),
    example: normalizedExample(kind),
  }));
  return [...distribution, ...normalized];
}

export interface KnativeReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type KnativeEventTypeOptions = {
  namespace: string;
  apiVersion: 'v1beta2' | 'v1beta3';
  /** Pins `source` on every EventType (e.g. `//registry.example.com:5000`); omitted otherwise, as sources vary per registry. */
  source?: string;
} & ({ broker: string; reference?: never } | { reference: KnativeReference; broker?: never });

/** A DNS-1123 name for the EventType: `io.regevents.artifact.pushed` -> `io-regevents-artifact-pushed`. */
function resourceName(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 253);
}

function specFor(entry: CatalogEntry, options: KnativeEventTypeOptions, reference: KnativeReference): Record<string, unknown> {
  if (options.apiVersion === 'v1beta2') {
    return { type: entry.type, ...(options.source ? { source: options.source } : {}), schema: entry.dataschema, description: entry.description, reference };
  }
  const attributes = [
    { name: 'type', required: true, value: entry.type },
    { name: 'source', required: true, ...(options.source ? { value: options.source } : {}) },
    { name: 'specversion', required: true, value: '1.0' },
    { name: 'id', required: true },
    { name: 'time', required: true },
    { name: 'subject', required: true },
    { name: 'datacontenttype', required: true, value: 'application/json' },
    { name: 'dataschema', required: true, value: entry.dataschema },
    { name: 'registrykind', required: true },
    { name: 'repository', required: true },
  ];
  return { reference, description: entry.description, attributes };
}

/**
 * Knative `EventType` manifests for the catalog, as one multi-document YAML string.
 * `broker` references a Broker in the namespace (v1beta2's `spec.broker` is deprecated, so
 * both versions use `spec.reference`); `reference` names any addressable instead.
 */
export function toKnativeEventTypes(options: KnativeEventTypeOptions): string {
  const reference: KnativeReference = options.reference ?? { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: options.broker as string };
  return eventCatalog()
    .map((entry) =>
      stringify({
        apiVersion: `eventing.knative.dev/${options.apiVersion}`,
        kind: 'EventType',
        metadata: { name: resourceName(entry.type), namespace: options.namespace },
        spec: specFor(entry, options, reference),
      }),
    )
    .join('---\n');
}
