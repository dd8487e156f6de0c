/** CESQL's three value types and the casts between them (spec sections 3.1 and 3.7). */

/** A CESQL value: Integer values are JS numbers holding 32-bit signed integers. */
export type CesqlValue = boolean | number | string;

export type CesqlType = 'Boolean' | 'Integer' | 'String';

interface ValueOfType {
  Boolean: boolean;
  Integer: number;
  String: string;
}

/** Each type's zero value, returned by an operation that fails (spec 3.3). */
export const ZERO_VALUE: { readonly [T in CesqlType]: ValueOfType[T] } = { Boolean: false, Integer: 0, String: '' };

export function typeOf(value: CesqlValue): CesqlType {
  if (typeof value === 'boolean') return 'Boolean';
  return typeof value === 'number' ? 'Integer' : 'String';
}

/** A cast's result; `error` says why it failed, and then `value` is the target's zero value. */
export interface Cast<T extends CesqlType> {
  readonly value: ValueOfType[T];
  readonly error?: string;
}

const INTEGER_TEXT = /^[+-]?[0-9]+$/;

export function cast<T extends CesqlType>(value: CesqlValue, target: T): Cast<T> {
  return castTo(value, target) as Cast<T>;
}

function castTo(value: CesqlValue, target: CesqlType): Cast<CesqlType> {
  if (typeOf(value) === target) return { value };
  switch (target) {
    case 'String':
      return { value: String(value) };
    case 'Integer': {
      if (typeof value === 'boolean') return { value: value ? 1 : 0 };
      const parsed = INTEGER_TEXT.test(value as string) ? Number(value) : Number.NaN;
      if (parsed >= -2147483648 && parsed <= 2147483647) return { value: parsed | 0 };
      return { value: 0, error: `cannot cast ${JSON.stringify(value)} to Integer: not a 32-bit base-10 integer` };
    }
    case 'Boolean': {
      if (typeof value === 'number') return { value: value !== 0 };
      const lower = (value as string).toLowerCase();
      if (lower === 'true' || lower === 'false') return { value: lower === 'true' };
      return { value: false, error: `cannot cast ${JSON.stringify(value)} to Boolean: only "true" and "false" (any case) are` };
    }
  }
}
