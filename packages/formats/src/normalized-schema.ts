import { NORMALIZED_KINDS, REGISTRY_KINDS, type NormalizedKind } from './model.js';

/** JSON Schema (2020-12) of a normalized event as CloudEvent data (`occurredAt` is a string there). */
export function normalizedEventSchema(kind?: NormalizedKind): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://regevents.dev/schemas/normalized/event.schema.json',
    title: kind ? `Normalized ${kind} event` : 'Normalized registry event',
    description: 'A registry event from any supported registry, in the regevents normalized model.',
    type: 'object',
    required: ['kind', 'registry', 'repository', 'occurredAt', 'id', 'raw'],
    properties: {
      kind: kind ? { const: kind, description: 'What happened.' } : { enum: [...NORMALIZED_KINDS], description: 'What happened.' },
      registry: {
        type: 'object',
        description: 'Which registry sent it.',
        required: ['kind'],
        properties: { kind: { enum: [...REGISTRY_KINDS], description: 'Registry product.' }, host: { type: 'string', description: 'Registry host, when known.' } },
      },
      repository: { type: 'string', description: 'Repository path without the host.' },
      digest: { type: 'string', description: 'Content digest.' },
      tag: { type: 'string', description: 'Tag.' },
      mediaType: { type: 'string', description: 'Media type of the content.' },
      size: { type: 'integer', minimum: 0, description: 'Size in bytes.' },
      actor: { type: 'string', description: 'Who caused it.' },
      occurredAt: { type: 'string', format: 'date-time', description: 'When it happened (RFC 3339).' },
      id: { type: 'string', description: "The vendor's event id or a stable derived id." },
      raw: { description: 'The source event as received.' },
    },
  };
}
