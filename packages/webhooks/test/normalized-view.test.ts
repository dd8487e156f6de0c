import { validateEnvelope } from '@regevents/schemas';
import type { Event } from '@regevents/types';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventHandler, type DeliveryInfo, type ErrorContext, type EventContext } from '../src/index.js';
import { fixture } from './helpers.js';

// counts the normalized views the receiver builds; each call still returns the real view
const normalizeDistributionEvent = vi.hoisted(() => vi.fn());
vi.mock('@regevents/formats', async (importOriginal) => {
  const formats = await importOriginal<typeof import('@regevents/formats')>();
  normalizeDistributionEvent.mockImplementation(formats.normalizeDistributionEvent);
  return { ...formats, normalizeDistributionEvent };
});

const delivery: DeliveryInfo = { receivedAt: new Date('2030-01-02T03:04:05Z'), contentType: 'application/json', remoteAddress: undefined, eventCount: 1 };

/** The first event of a captured body (the blob push of `push-by-tag/001.json`, the manifest push of `003.json`), with its context. */
function captured(name: string): [Event, EventContext] {
  const result = validateEnvelope(JSON.parse(new TextDecoder().decode(fixture(name).body)));
  const event = result.ok ? result.value.events[0] : undefined;
  if (!result.ok || event?.action !== 'push') throw new Error(`${name} does not start with a valid push`);
  return [event, { envelope: result.value, index: 0, headers: new Headers(), delivery }];
}

function capturedPushes(): { blob: [Event, EventContext]; manifest: [Event, EventContext] } {
  const blob = captured('push-by-tag/001.json');
  const manifest = captured('push-by-tag/003.json');
  if (blob[0].target.mediaType !== 'application/octet-stream' || manifest[0].target.mediaType === 'application/octet-stream') throw new Error('the captured pushes changed');
  return { blob, manifest };
}

describe('the normalized view of a distribution event', () => {
  beforeEach(() => {
    normalizeDistributionEvent.mockClear();
  });

  it('is built only for an event a handler of a normalized kind takes', async () => {
    const { blob, manifest } = capturedPushes();
    const seen: string[] = [];
    const events = createEventHandler()
      .on('push', (event) => void seen.push(`push ${event.target.mediaType}`))
      .on('artifact.pushed', (pushed) => void seen.push(`artifact.pushed ${pushed.digest}`));
    expect(await events.receive(...blob)).toBe('handled');
    expect(normalizeDistributionEvent).not.toHaveBeenCalled();
    expect(await events.receive(...manifest)).toBe('handled');
    expect(normalizeDistributionEvent).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([`push ${blob[0].target.mediaType}`, `push ${manifest[0].target.mediaType}`, `artifact.pushed ${manifest[0].target.digest}`]);
  });

  it('is not built for a handler registered for the key and the kind (it runs once, with the event as received)', async () => {
    const { manifest } = capturedPushes();
    const received: unknown[] = [];
    const events = createEventHandler().on(['push:manifest', 'artifact.pushed'], (event) => void received.push(event));
    expect(await events.receive(...manifest)).toBe('handled');
    expect(received).toEqual([manifest[0]]);
    expect(normalizeDistributionEvent).not.toHaveBeenCalled();
  });

  it('is not in the error context of a failed handler that took the event as received', async () => {
    const { blob } = capturedPushes();
    const contexts: ErrorContext[] = [];
    const events = createEventHandler()
      .on('push:blob', () => {
        throw new Error('downstream unavailable');
      })
      .on('artifact.deleted', () => undefined)
      .onError((_error, context) => void contexts.push(context));
    expect(await events.receive(...blob)).toBe('failed');
    expect(contexts.map((context) => [context.event, context.normalized])).toEqual([[blob[0], undefined]]);
    expect(normalizeDistributionEvent).not.toHaveBeenCalled();
  });
});
