import type { Issue } from '@regevents/types';
import { describe, expectTypeOf, it } from 'vitest';
import { parseRegistryConfig, type ConfigDiagnostic } from '../src/index.js';

describe('config diagnostics', () => {
  it('extend the shared issue shape, and the result has an errors view of them', () => {
    expectTypeOf<ConfigDiagnostic>().toExtend<Issue>();
    expectTypeOf(parseRegistryConfig('').errors).toEqualTypeOf<ConfigDiagnostic[]>();
    expectTypeOf(parseRegistryConfig('').errors[0]?.severity).toEqualTypeOf<'error' | 'warning' | 'info' | undefined>();
  });
});
