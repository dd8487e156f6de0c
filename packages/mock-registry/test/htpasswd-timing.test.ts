import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockRegistry } from '../src/index.js';

const request = (user: string, password: string) => new Request('http://registry.test/v2/', { headers: { authorization: `Basic ${btoa(`${user}:${password}`)}` } });

describe('htpasswd users cannot be enumerated by timing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an unknown user costs one bcrypt comparison at the cost the file uses, as a wrong password does', async () => {
    const htpasswd = `alice:${bcrypt.hashSync('right', 6)}\nbob:${bcrypt.hashSync('other', 5)}\n`;
    const registry = createMockRegistry({ auth: { type: 'basic', htpasswd } });
    const compare = vi.spyOn(bcrypt, 'compare');
    expect((await registry.handle(request('alice', 'wrong'))).status).toBe(401);
    expect(compare).toHaveBeenCalledTimes(1);
    expect((await registry.handle(request('mallory', 'wrong'))).status).toBe(401);
    expect(compare).toHaveBeenCalledTimes(2);
    const dummy = compare.mock.calls[1]?.[1] as string;
    expect(bcrypt.getRounds(dummy)).toBe(6);
    expect(dummy).not.toBe(compare.mock.calls[0]?.[1]);
    expect((await registry.handle(request('alice', 'right'))).status).toBe(200);
  });
});
