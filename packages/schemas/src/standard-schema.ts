import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Envelope, Event } from '@regevents/types';
import { envelopeValidatorsFor, eventValidatorsFor, runValidators, type ValidatorPair } from './validate.js';

function standard<T>(validators: ValidatorPair): StandardSchemaV1<unknown, T>['~standard'] {
  return {
    version: 1,
    vendor: 'regevents',
    validate(value) {
      const result = runValidators<T>(validators, value);
      if (result.ok) return { value: result.value };
      return { issues: result.issues.map(({ keys, message }) => ({ message, path: keys.length > 0 ? keys : undefined })) };
    },
  };
}

/** The envelope schema as a Standard Schema v1 (tRPC, Hono, TanStack Form, ...). Tolerant mode. */
export const envelopeSchema: StandardSchemaV1<unknown, Envelope> = { '~standard': standard(envelopeValidatorsFor(undefined)) };

/** One event as a Standard Schema v1. Tolerant mode. */
export const eventSchema: StandardSchemaV1<unknown, Event> = { '~standard': standard(eventValidatorsFor(undefined)) };
