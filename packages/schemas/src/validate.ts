import type { Envelope, Event } from '@regevents/types';
import { actionIndependentIssues, type EventValidator } from './action-independent.js';
import * as generated from './generated/validators.js';
import { findForbiddenKey, hasForbiddenKey, toIssues, toValidationIssue, type AjvError, type KeyedIssue, type ValidationIssue } from './issues.js';

export interface ValidateOptions {
  /**
   * Reject fields the schema does not name. Off by default, so payloads from newer registries
   * still validate; turn it on for your own fixtures.
   */
  strict?: boolean;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

interface CompiledValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

export interface ValidatorPair {
  /** Stops at the first failure: the cost on the happy path. */
  fast: CompiledValidator;
  /** Collects every failure with its schema, only run once `fast` said no. */
  full: CompiledValidator;
  /** For distribution envelopes and events: one event's full validator, to check the fields of an event whose action picks no shape. */
  eachEvent?: EventValidator;
}

/**
 * Values fresh from JSON.parse: `parsed` says yes only for a valid value without forbidden keys, in
 * one pass; a no is settled by the pair. Only for JSON.parse output: it trusts that every property
 * it reads is an own, enumerable one, which a getter on a prototype is not.
 */
export interface ParsedValidators extends ValidatorPair {
  parsed: (data: unknown) => boolean;
}

const envelopeValidators: Record<'tolerant' | 'strict', ParsedValidators> = {
  tolerant: { parsed: generated.envelopeTolerantParsed, fast: generated.envelopeTolerantFast, full: generated.envelopeTolerantFull, eachEvent: generated.eventTolerantFull },
  strict: { parsed: generated.envelopeStrictParsed, fast: generated.envelopeStrictFast, full: generated.envelopeStrictFull, eachEvent: generated.eventStrictFull },
};
const eventValidators: Record<'tolerant' | 'strict', ParsedValidators> = {
  tolerant: { parsed: generated.eventTolerantParsed, fast: generated.eventTolerantFast, full: generated.eventTolerantFull, eachEvent: generated.eventTolerantFull },
  strict: { parsed: generated.eventStrictParsed, fast: generated.eventStrictFast, full: generated.eventStrictFull, eachEvent: generated.eventStrictFull },
};

export type KeyedResult<T> = { ok: true; value: T } | { ok: false; issues: KeyedIssue[] };

/** Runs the fast validator, and on failure the full one for every issue; also rules out forbidden keys. */
export function runValidators<T>(pair: ValidatorPair, value: unknown): KeyedResult<T> {
  const polluted = hasForbiddenKey(value);
  if (!polluted && pair.fast(value)) return { ok: true, value: value as T };
  const forbidden = polluted ? findForbiddenKey(value) : undefined;
  const errors = pair.full(value) ? [] : (pair.full.errors ?? []);
  const issues = [...toIssues(errors), ...(pair.eachEvent ? actionIndependentIssues(errors, pair.eachEvent) : [])];
  return { ok: false, issues: forbidden ? [forbidden, ...issues] : issues };
}

export function withPaths<T>(result: KeyedResult<T>): ValidationResult<T> {
  return result.ok ? result : { ok: false, issues: result.issues.map(toValidationIssue) };
}

export function eventValidatorsFor(options: ValidateOptions | undefined): ParsedValidators {
  return eventValidators[options?.strict ? 'strict' : 'tolerant'];
}

export function envelopeValidatorsFor(options: ValidateOptions | undefined): ParsedValidators {
  return envelopeValidators[options?.strict ? 'strict' : 'tolerant'];
}

/** Checks that a value is a distribution notification envelope (`{"events": [...]}`). */
export function validateEnvelope(value: unknown, options?: ValidateOptions): ValidationResult<Envelope> {
  return withPaths(runValidators<Envelope>(envelopeValidatorsFor(options), value));
}

/** Checks that a value is one distribution notification event. */
export function validateEvent(value: unknown, options?: ValidateOptions): ValidationResult<Event> {
  return withPaths(runValidators<Event>(eventValidatorsFor(options), value));
}

/**
 * `validateEvent` for an event of a value fresh from JSON.parse (an envelope a receiver parsed
 * itself): the same answer, and a valid event is checked in one pass. It trusts that origin: pass
 * any other value (objects built in code, class instances) to `validateEvent`.
 */
export function validateParsedEvent(value: unknown, options?: ValidateOptions): ValidationResult<Event> {
  const validators = eventValidatorsFor(options);
  if (validators.parsed(value)) return { ok: true, value: value as Event };
  return withPaths(runValidators<Event>(validators, value));
}
