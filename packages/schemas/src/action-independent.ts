import { pointerToKeys, toIssues, type AjvError, type KeyedIssue } from './issues.js';

/** The full validator of one event, as the generated code exports it. */
export interface EventValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

/** Events checked this way per value at most: a hostile envelope of a thousand action-less events needs no thousand reports. */
const MAX_EVENTS_CHECKED = 50;

/** A discriminator failure of the event schema: the event has no action, or one no shape is chosen by. */
function isActionless(error: AjvError): boolean {
  return error.keyword === 'discriminator' && error.params.tag === 'action' && Array.isArray(error.parentSchema?.['x-discriminator-values']);
}

function mostCommon(messages: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

/**
 * With no action (or an unknown one), the discriminator picks no shape and the validator reports
 * only the action. The event's other fields are still checked: against every action's shape in
 * turn, keeping the paths where every shape finds a problem, since those do not depend on the
 * action (a malformed digest or timestamp). The message is the one most shapes give.
 */
export function actionIndependentIssues(errors: readonly AjvError[], validateEvent: EventValidator): KeyedIssue[] {
  const issues: KeyedIssue[] = [];
  for (const error of errors.filter(isActionless).slice(0, MAX_EVENTS_CHECKED)) {
    const event = (error as AjvError & { data?: unknown }).data;
    if (event === null || typeof event !== 'object' || Array.isArray(event)) continue;
    const actions = error.parentSchema?.['x-discriminator-values'] as readonly string[];
    const perShape = actions.map((action) => {
      const shaped = { ...(event as Record<string, unknown>), action };
      const found = validateEvent(shaped) ? [] : toIssues(validateEvent.errors ?? []);
      return new Map(found.map((issue) => [issue.keys.join('\u0000'), issue]));
    });
    const [first, ...others] = perShape;
    for (const [path, issue] of first ?? []) {
      if (!others.every((shape) => shape.has(path))) continue;
      const messages = perShape.map((shape) => (shape.get(path) as KeyedIssue).message);
      issues.push({ keys: [...pointerToKeys(error.instancePath), ...issue.keys], message: mostCommon(messages) });
    }
  }
  return issues;
}
