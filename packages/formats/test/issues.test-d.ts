import type { ValidationIssue } from '@regevents/schemas';
import type { Issue } from '@regevents/types';
import { describe, expectTypeOf, it } from 'vitest';
import type { FormatIssue } from '../src/index.js';

describe('one issue shape', () => {
  it('FormatIssue is the shared Issue, the same as schemas\' ValidationIssue', () => {
    expectTypeOf<FormatIssue>().toEqualTypeOf<Issue>();
    expectTypeOf<FormatIssue>().toEqualTypeOf<ValidationIssue>();
  });
});
