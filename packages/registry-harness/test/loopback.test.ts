import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveOnLoopback } from '../src/index.js';

describe('serveOnLoopback', () => {
  it('serves the listener at its origin on 127.0.0.1', async () => {
    const server = await serveOnLoopback((req, res) => res.end(`seen ${req.url}`));
    try {
      expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
      expect(await (await fetch(`${server.origin}/events`)).text()).toBe('seen /events');
    } finally {
      await server.close();
    }
  });

  it('closes with a response still streaming, ending its connection', async () => {
    const server = await serveOnLoopback((_req, res) => res.writeHead(200).write('first'));
    let streaming: () => void = () => undefined;
    const firstChunk = new Promise<void>((resolve) => (streaming = resolve));
    const ended = new Promise<string>((resolve) => {
      get(`${server.origin}/stream`, (response) => {
        response.once('data', () => streaming());
        response.on('close', () => resolve('ended'));
      });
    });
    await firstChunk;
    await server.close();
    expect(await ended).toBe('ended');
    await expect(fetch(server.origin)).rejects.toThrow();
  });
});
