import { validateParsedEvent, type ValidationIssue } from '@regevents/schemas';
import type { Event } from '@regevents/types';
import { isKnownAction, type UnknownEvent } from './dispatch.js';
import type { FormatId } from '@regevents/formats';

/** A payload that failed validation; `index` is set when one event of an otherwise readable envelope failed. */
export interface InvalidPayload {
  issues: readonly ValidationIssue[];
  value: unknown;
  index?: number;
  /** The format the body was recognised as, when it was. */
  format?: FormatId;
}

export type Classified = { kind: 'known'; event: Event; index: number } | { kind: 'unknown'; event: UnknownEvent; index: number } | { kind: 'invalid'; invalid: InvalidPayload };

function prefixIssues(issues: readonly ValidationIssue[], index: number): ValidationIssue[] {
  return issues.map((issue) => ({ ...issue, path: issue.path === '(root)' ? `events[${index}]` : `events[${index}].${issue.path}` }));
}

const TOLERANT = { strict: false };
const STRICT = { strict: true };

/**
 * The events of an envelope fresh from JSON.parse, each valid, of an unknown action (recognised
 * before validation, which would reject it) or invalid.
 */
export function classify(events: readonly unknown[], strict: boolean): Classified[] {
  const options = strict ? STRICT : TOLERANT;
  return events.map((raw, index): Classified => {
    const action = (raw as { action?: unknown } | null)?.action;
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && typeof action === 'string' && action !== '' && !isKnownAction(action)) {
      return { kind: 'unknown', event: raw as UnknownEvent, index };
    }
    const result = validateParsedEvent(raw, options);
    return result.ok ? { kind: 'known', event: result.value, index } : { kind: 'invalid', invalid: { issues: prefixIssues(result.issues, index), value: raw, index } };
  });
}
