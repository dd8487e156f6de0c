import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Envelope, Event } from '@regevents/types';
import type { ValidationIssue } from './issues.js';
import { validateEnvelope, validateEvent, type ValidationResult } from './validate.js';

function pathKeys(issue: ValidationIssue): PropertyKey[] | undefined {
  if (issue.path.startsWith('(')) return undefined;
  // Back from `events[0].target["a.b"]` to keys.
  const keys: PropertyKey[] = [];
  const pattern = /([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of issue.path.matchAll(pattern)) {
    if (match[1] !== undefined) keys.push(match[1]);
    else if (match[2] !== undefined) keys.push(Number(match[2]));
    else if (match[3] !== undefined) keys.push(JSON.parse(match[3]) as string);
  }
  return keys;
}

function standard<T>(validate: (value: unknown) => ValidationResult<T>): StandardSchemaV1<unknown, T>['~standard'] {
  return {
    version: 1,
    vendor: 'regevents',
    validate(value) {
      const result = validate(value);
      if (result.ok) return { value: result.value };
      return { issues: result.issues.map((issue) => ({ message: issue.message, path: pathKeys(issue) })) };
    },
  };
}

/** The envelope schema as a Standard Schema v1 (tRPC, Hono, TanStack Form, ...). Tolerant mode. */
export const envelopeSchema: StandardSchemaV1<unknown, Envelope> = { '~standard': standard((value) => validateEnvelope(value)) };

/** One event as a Standard Schema v1. Tolerant mode. */
export const eventSchema: StandardSchemaV1<unknown, Event> = { '~standard': standard((value) => validateEvent(value)) };

