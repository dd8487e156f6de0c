import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { REDIS_URL, REGISTRY_URL, urlOption } from '../src/url-option.js';

describe('urlOption', () => {
  it('returns the URL of an allowed protocol', () => {
    expect(urlOption('--registry', 'https://registry.test:5000/', REGISTRY_URL.protocols, REGISTRY_URL.example).origin).toBe('https://registry.test:5000');
  });

  it('refuses what is no URL, or a URL of another protocol, naming the flag and never the credentials', () => {
    const refusal = (value: string) => {
      try {
        urlOption('--redis', value, REDIS_URL.protocols, REDIS_URL.example);
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as Error).message;
      }
      throw new Error(`${value} was accepted`);
    };
    expect(refusal('redis//user:s3cret@host')).toBe('--redis must be a URL such as redis://127.0.0.1:6379 (got "***@host")');
    expect(refusal('http://user:s3cret@host:6379')).toBe('--redis must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (got "http://***@host:6379")');
  });
});
