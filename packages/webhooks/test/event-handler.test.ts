import { normalize } from '@regevents/formats';
import { vendorFixture } from '@regevents/registry-harness';
import { validateEnvelope } from '@regevents/schemas';
import type { Event } from '@regevents/types';
import { describe, expect, it } from 'vitest';
import { createEventHandler, HandlerFailedError, type DeliveryInfo, type ErrorContext, type EventContext, type EventReceiver, type NormalizedEventContext, type NormalizedRegistryEvent } from '../src/index.js';
import { deferred, fixture } from './helpers.js';

/** What a queue consumer knows about an event it took from a log: no request, its own headers. */
const delivery: DeliveryInfo = { receivedAt: new Date('2030-01-02T03:04:05Z'), contentType: 'application/json', remoteAddress: undefined, eventCount: 1 };
const headers = new Headers({ 'x-source': 'queue' });

function capturedPush(): { event: Event; context: EventContext } {
  const result = validateEnvelope(JSON.parse(new TextDecoder().decode(fixture('push-by-tag/003.json').body)));
  if (!result.ok) throw new Error('the captured envelope does not validate');
  const event = result.value.events.find((item) => item.action === 'push' && item.target.mediaType !== 'application/octet-stream');
  if (!event) throw new Error('the captured envelope has no manifest push');
  return { event, context: { envelope: result.value, index: result.value.events.indexOf(event), headers, delivery } };
}

async function normalizedOf(name: string, format: NormalizedEventContext['format']): Promise<{ event: NormalizedRegistryEvent; context: NormalizedEventContext }> {
  const [event] = await normalize(vendorFixture(name).text);
  if (!event) throw new Error(`${name} normalizes to no event`);
  return { event, context: { format, index: 0, headers, delivery } };
}

describe('createEventHandler: typed dispatch without HTTP', () => {
  it('receive() runs a distribution event through its keys and its normalized view, once; a second receive is a duplicate', async () => {
    const { event, context } = capturedPush();
    const seen: string[] = [];
    const events = createEventHandler()
      .on('push:manifest', (pushed, { index, headers: received }) => void seen.push(`push:manifest ${pushed.target.repository} #${index} ${received.get('x-source')}`))
      .on('artifact.pushed', (normalized, { format }) => void seen.push(`artifact.pushed ${normalized.repository} ${format}`))
      .onAny((any) => void seen.push(`any ${any.action}`));
    expect(await events.receive(event, context)).toBe('handled');
    expect(await events.receive(event, context)).toBe('duplicate');
    expect(seen).toEqual([`push:manifest ${event.target.repository} #${context.index} queue`, `artifact.pushed ${event.target.repository} distribution`, 'any push']);
  });

  // one method per case, so that each method's own reset of the cached plans is what the case checks
  // (in a chain, a later registration's reset would cover an earlier one's); the last case chains them all
  it.each<{ method: string; register: (events: EventReceiver, seen: string[]) => unknown; expected: string[] }>([
    { method: 'on, a distribution key', register: (events, seen) => events.on('push:manifest', () => void seen.push('push:manifest')), expected: ['push', 'push:manifest'] },
    { method: 'on, a normalized kind', register: (events, seen) => events.on('artifact.pushed', (pushed) => void seen.push(`artifact.pushed ${pushed.registry.kind}`)), expected: ['push', 'artifact.pushed distribution', 'artifact.pushed harbor'] },
    { method: 'onUnknown', register: (events, seen) => events.onUnknown((item) => void seen.push(`unknown ${item.action}`)), expected: ['push', 'unknown rename'] },
    { method: 'onAny', register: (events, seen) => events.onAny((item) => void seen.push(`any ${item.action}`)), expected: ['push', 'any push', 'any rename'] },
    {
      method: 'every method, chained',
      register: (events, seen) =>
        events
          .on('push:manifest', () => void seen.push('push:manifest'))
          .on('artifact.pushed', (pushed) => void seen.push(`artifact.pushed ${pushed.registry.kind}`))
          .onUnknown((item) => void seen.push(`unknown ${item.action}`))
          .onAny((item) => void seen.push(`any ${item.action}`)),
      expected: ['push', 'push:manifest', 'artifact.pushed distribution', 'any push', 'unknown rename', 'any rename', 'artifact.pushed harbor'],
    },
  ])('a handler registered with $method after events were dispatched receives the next events it takes', async ({ register, expected }) => {
    const { event, context } = capturedPush();
    const harbor = await normalizedOf('harbor/push-artifact', 'harbor');
    const unknown = { ...event, action: 'rename' };
    const seen: string[] = [];
    const events = createEventHandler({ dedupe: false }).on('push', () => void seen.push('push'));
    const receiveAll = async () => {
      await events.receive(event, context);
      await events.receive(unknown, context);
      await events.receive(harbor.event, harbor.context);
    };
    await receiveAll();
    expect(seen).toEqual(['push']);
    seen.length = 0;
    register(events, seen);
    await receiveAll();
    expect(seen).toEqual(expected);
  });

  it('a handler registered for a key and a kind runs once per event, with the distribution event', async () => {
    const { event, context } = capturedPush();
    const received: unknown[] = [];
    const events = createEventHandler().on(['push:manifest', 'artifact.pushed'], (item) => void received.push(item));
    await events.receive(event, context);
    expect(received).toEqual([event]);
  });

  it('receive() dispatches normalized events to their kind, deduplicated by id within their registry and format', async () => {
    const harbor = await normalizedOf('harbor/push-artifact', 'harbor');
    const ecr = await normalizedOf('ecr/image-push', 'ecr');
    const kinds: string[] = [];
    const events = createEventHandler().on(['artifact.pushed', 'scan.completed'], (event, { format }) => void kinds.push(`${event.kind} ${event.registry.kind} ${format}`));
    expect(await events.receive(harbor.event, harbor.context)).toBe('handled');
    expect(await events.receive(harbor.event, harbor.context)).toBe('duplicate');
    // the same id from another registry is another event
    expect(await events.receive({ ...ecr.event, id: harbor.event.id }, ecr.context)).toBe('handled');
    expect(kinds).toEqual(['artifact.pushed harbor harbor', 'artifact.pushed ecr ecr']);
  });

  it('an event whose format identifies no occurrence (Quay) runs on every receive', async () => {
    const [push] = await normalize(vendorFixture('quay/repo-push').text);
    if (!push) throw new Error('no Quay event');
    let runs = 0;
    const events = createEventHandler().on('artifact.pushed', () => void runs++);
    const context: NormalizedEventContext = { format: 'quay', index: 0, headers, delivery };
    expect([await events.receive(push, context), await events.receive(push, context)]).toEqual(['handled', 'handled']);
    expect(runs).toBe(2);
  });

  it('an unknown action goes to onUnknown and onAny, never to keyed handlers', async () => {
    const rename = { id: 'b1c2d3e4-0000-4000-8000-000000000001', action: 'rename', target: { repository: 'a/b' } };
    const seen: string[] = [];
    const events = createEventHandler()
      .on('push', () => void seen.push('push'))
      .onUnknown((event) => void seen.push(`unknown ${event.action}`))
      .onAny((event) => void seen.push(`any ${event.action}`));
    expect(await events.receive(rename, { envelope: { events: [rename] }, index: 0, headers, delivery })).toBe('handled');
    expect(seen).toEqual(['unknown rename', 'any rename']);
  });

  it('a throwing handler gives failed and onError (with the event and headers), and the next receive runs it again', async () => {
    const { event, context } = capturedPush();
    const errors: [unknown, ErrorContext][] = [];
    let attempts = 0;
    const events = createEventHandler()
      .on('push', () => {
        attempts++;
        if (attempts === 1) throw new Error('downstream unavailable');
      })
      .onError((error, errorContext) => void errors.push([error, errorContext]));
    expect(await events.receive(event, context)).toBe('failed');
    expect(await events.receive(event, context)).toBe('handled');
    expect(await events.receive(event, context)).toBe('duplicate');
    expect(attempts).toBe(2);
    const [error, errorContext] = errors[0] ?? [];
    expect(error).toBeInstanceOf(HandlerFailedError);
    expect((error as HandlerFailedError).eventId).toBe(event.id);
    expect([errorContext?.event, errorContext?.headers?.get('x-source')]).toEqual([event, 'queue']);
  });

  it('a concurrent receive of an event being handled is in-flight; dedupe: false runs every receive', async () => {
    const { event, context } = capturedPush();
    const gate = deferred();
    const events = createEventHandler().on('push', () => gate.promise);
    const first = events.receive(event, context);
    expect(await events.receive(event, context)).toBe('in-flight');
    gate.resolve();
    expect(await first).toBe('handled');

    let runs = 0;
    const undeduplicated = createEventHandler({ dedupe: false }).on('push', () => void runs++);
    await undeduplicated.receive(event, context);
    await undeduplicated.receive(event, context);
    expect(runs).toBe(2);
  });

  it('receiveNow() answers at once while its handlers and store do (an event with none, synchronous handlers, the memory store), with a promise once one returns one', async () => {
    const { event, context } = capturedPush();
    const seen: string[] = [];
    const gate = deferred();
    const events = createEventHandler()
      .on('push:manifest', () => void seen.push('push:manifest'))
      .on('pull', () => gate.promise)
      .onError(() => undefined);
    expect(events.receiveNow(event, context)).toBe('handled');
    expect(events.receiveNow(event, context)).toBe('duplicate');
    expect(seen).toEqual(['push:manifest']);
    const unhandled = { ...event, id: 'a6a83d2e-56b5-4b55-9f3c-4c0b4ae3e0a1', action: 'delete' } as Event;
    expect(createEventHandler({ dedupe: false }).receiveNow(unhandled, context)).toBe('handled');

    const pulled = { ...event, id: 'c5d8f4f6-5d43-4d7b-8a8e-2f1d4e7b9c10', action: 'pull' } as Event;
    const waiting = events.receiveNow(pulled, context);
    expect(waiting).toBeInstanceOf(Promise);
    gate.resolve();
    expect(await waiting).toBe('handled');

    const failing = createEventHandler({ dedupe: false })
      .on('push', () => {
        throw new Error('downstream unavailable');
      })
      .onError(() => undefined);
    const failed = failing.receiveNow(event, context);
    expect(failed).toBeInstanceOf(Promise);
    expect(await failed).toBe('failed');
  });

  it('refuses unknown keys, non-functions and impossible dedupe options at registration', () => {
    expect(() => createEventHandler().on('artifact.pushd' as never, () => undefined)).toThrow(/on\(\) takes keys among/);
    expect(() => createEventHandler().onAny('not a function' as never)).toThrow(/onAny\(\) takes a function/);
    expect(() => createEventHandler({ dedupe: { leaseMs: -1 } })).toThrow(/dedupe\.leaseMs must be a positive number/);
  });
});
