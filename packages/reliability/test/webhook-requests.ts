import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionInfo, WebhookHandler } from '@regevents/webhooks';
import { expect } from 'vitest';

/** A push notification the real registry sent, as the body every request here carries. */
export const CAPTURED_BODY = readFileSync(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url), 'utf8');
export const EVENTS_CONTENT_TYPE = 'application/vnd.docker.distribution.events.v1+json';

/** Header values that a fetch `Headers` object accepts: no CR, LF or NUL, nothing past U+00FF. */
export function isHeaderValue(value: string): boolean {
  try {
    new Headers({ probe: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * POSTs through `handler.fetch` (a streamed body goes half-duplex, as fetch requires) and returns the status. Whatever the input, the handler must answer
 * (a throw fails the test) and never with 500: no input in these tests makes a handler fail.
 */
export async function deliver(handler: WebhookHandler, headers: [string, string][], body: BodyInit = CAPTURED_BODY, connection?: ConnectionInfo): Promise<number> {
  // the events media type unless the caller sends its own Content-Type (or several)
  const contentType: [string, string][] = headers.some(([name]) => name.toLowerCase() === 'content-type') ? [] : [['content-type', EVENTS_CONTENT_TYPE]];
  const request = new Request('http://127.0.0.1/events', { method: 'POST', headers: new Headers([...contentType, ...headers]), body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  const response = await handler.fetch(request, connection);
  expect(response.status).not.toBe(500);
  return response.status;
}

/** Standard Webhooks signature, computed here with node:crypto rather than by the code under test. */
export function standardWebhooksSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}
