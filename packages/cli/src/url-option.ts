import { CliError } from './cli-error.js';

/** `text` with whatever precedes its last `@` (a user and password, perhaps) replaced by `***`. */
export function withoutCredentials(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/*/.exec(text)?.[0] ?? '';
  return `${scheme}***${text.slice(at)}`;
}

/**
 * The URL a flag names, of one of `protocols` (such as `['http:', 'https:']`). A value that is no
 * such URL is a CliError naming the flag and `example`, and showing the value without credentials.
 */
export function urlOption(flag: string, value: string, protocols: readonly string[], example: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${flag} must be a URL such as ${example} (got "${withoutCredentials(value)}")`);
  }
  if (!protocols.includes(url.protocol)) throw new CliError(`${flag} must be a ${protocols.map((protocol) => `${protocol}//`).join(' or ')} URL such as ${example} (got "${withoutCredentials(value)}")`);
  return url;
}

export const REGISTRY_URL = { protocols: ['http:', 'https:'], example: 'http://127.0.0.1:5000' } as const;
export const REDIS_URL = { protocols: ['redis:', 'rediss:'], example: 'redis://127.0.0.1:6379' } as const;
