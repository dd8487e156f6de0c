import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { freePort, serveOnLoopback } from '../src/index.js';

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

  it('listens on the port it is given, again once closed: a server restarted where an endpoint points', async () => {
    const port = await freePort();
    const first = await serveOnLoopback((_req, res) => res.end('first'), { port });
    expect(first.origin).toBe(`http://127.0.0.1:${port}`);
    await first.close();
    const second = await serveOnLoopback((_req, res) => res.end('second'), { port });
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('second');
    } finally {
      await second.close();
    }
  });

  it("a port already taken rejects with the bind's error instead of hanging", async () => {
    const taken = await serveOnLoopback((_req, res) => res.end());
    try {
      await expect(serveOnLoopback((_req, res) => res.end(), { port: taken.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await taken.close();
    }
  });

  it("passes node:http's server options: a stalled body is cut off after requestTimeout", async () => {
    const server = await serveOnLoopback((req, res) => req.on('end', () => res.end()).resume(), { server: { requestTimeout: 200, connectionsCheckingInterval: 50 } });
    try {
      const statusLine = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1');
        socket.on('error', reject);
        socket.once('data', (data) => resolve(data.toString('latin1').split('\r\n')[0] ?? ''));
        socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf');
      });
      expect(statusLine).toBe('HTTP/1.1 408 Request Timeout');
    } finally {
      await server.close();
    }
  });
});
