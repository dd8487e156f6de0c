import type { Issue } from '@regevents/types';

/** One reason a value failed validation: the shared `Issue` shape, with `(root)` for the value itself. */
export type ValidationIssue = Issue;

/** The subset of an ajv error object the generated validators produce. */
export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: Record<string, unknown>;
}

export type PathKey = string | number;

/** An issue with its path still as keys, before it is written out for people. */
export interface KeyedIssue {
  keys: PathKey[];
  message: string;
}

export function toValidationIssue(issue: KeyedIssue): ValidationIssue {
  return { path: formatPath(issue.keys), message: issue.message };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const INDEX = /^(?:0|[1-9]\d*)$/;

export function pointerToKeys(pointer: string): PathKey[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return INDEX.test(key) ? Number(key) : key;
    });
}

export function formatPath(keys: readonly PathKey[]): string {
  if (keys.length === 0) return '(root)';
  let out = '';
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

interface Located {
  keys: PathKey[];
  message: string;
  /** Messages written for people in the schema (`x-expectation`) win over ajv's generic ones. */
  fromSchema: boolean;
}

function describe(error: AjvError): Located {
  const keys = pointerToKeys(error.instancePath);
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return { keys: [...keys, String(params.missingProperty)], message: 'is required', fromSchema: true };
    case 'additionalProperties':
      return { keys: [...keys, String(params.additionalProperty)], message: 'is not a known field (strict mode)', fromSchema: true };
    case 'discriminator': {
      const value = params.tagValue;
      // The build script records each discriminator's values beside it (x-discriminator-values).
      const allowed = error.parentSchema?.['x-discriminator-values'];
      const expected = Array.isArray(allowed) ? `one of ${allowed.join(', ')}` : 'a value the schema names';
      const message = value === undefined ? 'is required' : `must be ${expected} (got ${JSON.stringify(value)})`;
      return { keys: [...keys, String(params.tag)], message, fromSchema: true };
    }
    case 'const':
      return { keys, message: `must be ${JSON.stringify(params.allowedValue)}`, fromSchema: false };
    case 'type': {
      const type = String(params.type);
      return { keys, message: `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`, fromSchema: false };
    }
    default: {
      const expectation = error.parentSchema?.['x-expectation'];
      if (typeof expectation === 'string' && error.keyword === 'pattern') return { keys, message: expectation, fromSchema: true };
      return { keys, message: error.message ?? `fails ${error.keyword}`, fromSchema: false };
    }
  }
}

const MAX_ERRORS_READ = 200;

/** Keywords whose failure only summarises the failures of their branches. */
const SUMMARY_KEYWORDS = new Set(['anyOf', 'oneOf', 'if']);

/**
 * Turns ajv's errors (all of them, verbose) into one issue per path, preferring the
 * expectation the schema spells out over ajv's generic wording, and dropping the
 * "must match a schema in anyOf" summaries when a branch says what is wrong.
 */
export function toIssues(allErrors: readonly AjvError[]): KeyedIssue[] {
  // A hostile body can fail a million times over; the first few hundred say what is wrong.
  const errors = allErrors.slice(0, MAX_ERRORS_READ);
  const byPath = new Map<string, Located>();
  const consider = (error: AjvError) => {
    const located = describe(error);
    const path = formatPath(located.keys);
    const seen = byPath.get(path);
    if (!seen || (!seen.fromSchema && located.fromSchema)) byPath.set(path, located);
  };
  const specific = errors.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword));
  const explained = (summary: AjvError) =>
    specific.some((e) => e.instancePath === summary.instancePath || e.instancePath.startsWith(`${summary.instancePath}/`));
  specific.forEach(consider);
  errors.filter((e) => SUMMARY_KEYWORDS.has(e.keyword) && !explained(e)).forEach(consider);
  return [...byPath.values()].map(({ keys, message }) => ({ keys, message }));
}

/** Keys that poison objects when a consumer merges or spreads them; never legitimate in events. */
export function isForbiddenKey(key: string): boolean {
  // Three comparisons beat Array#includes on the hot path.
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** Events nest a few levels; deeper values (hostile ones) go to the explicit stack of `findForbiddenKey`. */
const RECURSION_LIMIT = 32;

/** Whether a parsed JSON value holds a prototype-polluting key anywhere: the cheap check run on every value. */
export function hasForbiddenKey(value: unknown): boolean {
  return typeof value === 'object' && value !== null && forbiddenKeyWithin(value, 0);
}

// Recursion, not a stack array, on the hot path: no allocation, and about a fifth less time per event.
function forbiddenKeyWithin(node: object, depth: number): boolean {
  if (depth === RECURSION_LIMIT) return findForbiddenKey(node) !== undefined;
  if (Array.isArray(node)) {
    for (const child of node) if (typeof child === 'object' && child !== null && forbiddenKeyWithin(child, depth + 1)) return true;
    return false;
  }
  for (const key in node) {
    if (isForbiddenKey(key)) return true;
    const child = (node as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && forbiddenKeyWithin(child, depth + 1)) return true;
  }
  return false;
}

/** Where the first prototype-polluting key is, for the error; only run once `hasForbiddenKey` said yes. */
export function findForbiddenKey(value: unknown): KeyedIssue | undefined {
  // Each entry links to its parent instead of copying the path, so deep nesting stays linear.
  interface Step {
    node: unknown;
    key: PathKey | undefined;
    parent: Step | undefined;
  }
  const pathOf = (step: Step): PathKey[] => {
    const keys: PathKey[] = [];
    for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
    return keys;
  };
  const stack: Step[] = [{ node: value, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    const { node } = step;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((child, index) => stack.push({ node: child, key: index, parent: step }));
      continue;
    }
    for (const key of Object.keys(node)) {
      if (isForbiddenKey(key)) return { keys: [...pathOf(step), key], message: 'is a forbidden key (prototype pollution)' };
      stack.push({ node: (node as Record<string, unknown>)[key], key, parent: step });
    }
  }
  return undefined;
}
