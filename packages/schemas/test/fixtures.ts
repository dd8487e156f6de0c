import { capturedBodies } from '@regevents/registry-harness';

/** A fresh copy of the first event of a captured fixture (`push-by-tag/003.json`), to break in a test. */
export function capturedEvent(name: string): Record<string, any> {
  const fixture = capturedBodies().find((f) => f.name.endsWith(name));
  if (!fixture) throw new Error(`no captured fixture ${name}`);
  return JSON.parse(fixture.body.toString('utf8')).events[0];
}
