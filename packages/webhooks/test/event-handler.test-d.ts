import type { ManifestPushEvent } from '@regevents/types';
import { describe, expectTypeOf, it } from 'vitest';
import { createEventHandler, type EventContext, type EventReceiver, type NormalizedEventContext, type NormalizedEventOf, type NormalizedRegistryEvent, type ReceiveResult, type UnknownEvent } from '../src/index.js';

const events = createEventHandler();

describe('createEventHandler', () => {
  it('on() narrows distribution keys and normalized kinds, and chains', () => {
    const chained = events
      .on('push:manifest', (event, context) => {
        expectTypeOf(event).toEqualTypeOf<ManifestPushEvent>();
        expectTypeOf(context).toEqualTypeOf<EventContext>();
      })
      .on('artifact.pushed', (event, context) => {
        expectTypeOf(event).toEqualTypeOf<NormalizedEventOf<'artifact.pushed'>>();
        expectTypeOf(context).toEqualTypeOf<NormalizedEventContext>();
      })
      .onUnknown((event) => expectTypeOf(event).toEqualTypeOf<UnknownEvent>());
    expectTypeOf(chained).toEqualTypeOf<EventReceiver>();
    // @ts-expect-error not a key nor a kind
    events.on('artifact.pushd', () => undefined);
  });

  it('receive() takes a distribution event with its context, or a normalized event with its own, and says what it did', () => {
    expectTypeOf(events.receive).toBeCallableWith({} as ManifestPushEvent, {} as EventContext);
    expectTypeOf(events.receive).toBeCallableWith({} as UnknownEvent, {} as EventContext);
    expectTypeOf(events.receive).toBeCallableWith({} as NormalizedRegistryEvent, {} as NormalizedEventContext);
    expectTypeOf(events.receive({} as NormalizedRegistryEvent, {} as NormalizedEventContext)).toEqualTypeOf<Promise<ReceiveResult>>();
    expectTypeOf(events.receiveNow({} as ManifestPushEvent, {} as EventContext)).toEqualTypeOf<ReceiveResult | Promise<ReceiveResult>>();
    // @ts-expect-error a normalized event comes with its format, not an envelope
    events.receiveNow({} as NormalizedRegistryEvent, {} as EventContext);
    // @ts-expect-error a normalized event comes with its format, not an envelope
    events.receive({} as NormalizedRegistryEvent, {} as EventContext);
    // @ts-expect-error an options object, not handlers
    createEventHandler({ dedupe: 'yes' });
  });
});
