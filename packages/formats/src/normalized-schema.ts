import { normalizedEventJsonSchema as publishedSchema } from '@regevents/schemas';
import type { NormalizedKind } from './model.js';

/**
 * The published JSON Schema of a normalized event (schemas/normalized/event.schema.json), or, for
 * one kind, the same schema with `kind` fixed to it (what an event catalog lists per type).
 */
export function normalizedEventSchema(kind?: NormalizedKind): Record<string, unknown> {
  if (!kind) return { ...publishedSchema };
  const properties = publishedSchema['properties'] as Record<string, Record<string, unknown>>;
  return {
    ...publishedSchema,
    title: `Normalized ${kind} event`,
    properties: { ...properties, kind: { const: kind, description: properties['kind']?.['description'] } },
  };
}
