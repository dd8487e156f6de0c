import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthGate } from '../src/auth-gate.js';
import { createInstantClock, createMockRegistry, uuidV4 } from '../src/index.js';
import { FileSystemStorage } from '../src/node/index.js';

const BASE = 'http://registry.test';
const HOUR = 60 * 60 * 1000;

describe('state stays bounded', () => {
  it('abandoned upload sessions expire with their stored bytes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mock-uploads-'));
    try {
      const clock = createInstantClock();
      const registry = createMockRegistry({ clock, storage: new FileSystemStorage(root) });
      const abandoned: string[] = [];
      for (let i = 0; i < 50; i++) {
        const start = await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST' }));
        abandoned.push(start.headers.get('location') as string);
      }
      expect(await readdir(join(root, 'uploads'))).toHaveLength(50);
      clock.advance(HOUR / 2);
      // a session in use stays alive
      expect((await registry.handle(new Request(abandoned[0] as string))).status).toBe(204);
      clock.advance(HOUR / 2 + 1);
      await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST' }));
      expect(await readdir(join(root, 'uploads'))).toHaveLength(2);
      expect((await registry.handle(new Request(abandoned[1] as string))).status).toBe(404);
      expect((await registry.handle(new Request(abandoned[0] as string))).status).toBe(204);
      clock.advance(HOUR + 1);
      const expired = await registry.handle(new Request(abandoned[0] as string));
      expect(expired.status).toBe(404);
      expect((await expired.json()).errors[0].code).toBe('BLOB_UPLOAD_UNKNOWN');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('uploadExpiryMs sets the idle limit', async () => {
    const clock = createInstantClock();
    const registry = createMockRegistry({ clock, uploadExpiryMs: 1_000 });
    const start = await registry.handle(new Request(`${BASE}/v2/demo/app/blobs/uploads/`, { method: 'POST' }));
    clock.advance(1_001);
    expect((await registry.handle(new Request(start.headers.get('location') as string))).status).toBe(404);
    expect(() => createMockRegistry({ uploadExpiryMs: 0 })).toThrow(/uploadExpiryMs/);
  });

  it('expired tokens are purged as new ones are issued', async () => {
    const clock = createInstantClock();
    const gate = new AuthGate({ type: 'bearer', users: { alice: 'a' }, expiresIn: 300 }, uuidV4, clock.now);
    const issue = () => gate.issueToken(new Request(`${BASE}/token?service=registry.test&scope=repository:demo/app:pull`));
    for (let i = 0; i < 100; i++) await issue();
    expect(gate.heldTokens).toBe(100);
    clock.advance(300_000);
    await issue();
    expect(gate.heldTokens).toBe(1);
  });
});
