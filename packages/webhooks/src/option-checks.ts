/** Checks of configured values; errors name the option (`auth.bearer[1]`), never the value. */
import { WebhookConfigError } from './errors.js';

export function list<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** Checks configured secrets; errors name the option (`auth.bearer[1]`), never the value. */
export function requireSecrets(values: readonly unknown[], option: string): string[] {
  if (values.length === 0) throw new WebhookConfigError(`${option} lists no value`);
  return values.map((value, index) => {
    const where = values.length === 1 ? option : `${option}[${index}]`;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new WebhookConfigError(`${where} is empty or not a string (is the environment variable that should hold it set?)`);
    }
    if (value !== value.trim()) throw new WebhookConfigError(`${where} has leading or trailing whitespace, which headers cannot carry`);
    return value;
  });
}

/** An RFC 9110 field name, lower-cased. */
export function requireHeaderName(name: unknown, option: string): string {
  if (typeof name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new WebhookConfigError(`${option} must be a header name`);
  return name.toLowerCase();
}
