import { mkdtemp } from 'node:fs/promises';
import { request as forward, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { serveOnLoopback, type Scenario } from '@regevents/registry-harness';
import { toAnswer, type Answer } from './api-answers.js';

export interface RecordingProxy {
  /** `127.0.0.1:PORT`, for skopeo references. */
  host: string;
  /** Every exchange since the last call, in the order the requests arrived. */
  take(): Promise<Answer[]>;
  close(): Promise<void>;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  return headers;
}

/**
 * Passes requests through to a registry unchanged (the Host header too, so the registry's absolute
 * Locations name the proxy and the client keeps talking through it) and records each answer.
 */
export async function startRecordingProxy(targetUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  let pending: Promise<Answer>[] = [];
  let origin = '';
  const server = await serveOnLoopback((req, res) => {
    pending.push(
      new Promise<Answer>((resolve, reject) => {
        const upstream = forward({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            res.write(chunk);
          });
          answer.on('end', () => {
            res.end();
            resolve(toAnswer(`${req.method} ${req.url}`, answer.statusCode ?? 0, toHeaders(answer.headers), Buffer.concat(chunks), [origin]));
          });
          answer.on('error', reject);
        });
        upstream.on('error', (error) => {
          res.destroy(error);
          reject(error);
        });
        req.pipe(upstream);
      }),
    );
  });
  origin = server.origin;
  return {
    host: `127.0.0.1:${server.port}`,
    take: async () => {
      const answers = await Promise.all(pending);
      pending = [];
      return answers;
    },
    close: server.close,
  };
}

/** Runs a harness scenario through the proxy and returns what its act (not its setup) exchanged. */
export async function scenarioExchanges(proxy: RecordingProxy, scenario: Scenario, parentDir: string): Promise<Answer[]> {
  const target = { host: proxy.host, workDir: await mkdtemp(join(parentDir, `${scenario.name}-`)) };
  await scenario.setup?.(target);
  await proxy.take();
  await scenario.act(target);
  return proxy.take();
}
