import type { ManifestPushEvent, MountEvent, TagDeleteEvent } from '@regevents/types';
import { describe, expectTypeOf, it } from 'vitest';
import { createWebhookHandler, type EventContext, type NormalizedEventContext, type NormalizedEventOf, type NormalizedRegistryEvent } from '../src/index.js';

const hooks = createWebhookHandler({ formats: ['harbor', 'distribution'], auth: { bearer: 'token', harbor: { authHeader: 'Bearer x' } } });

describe('on() narrows the event to its key', () => {
  it('a normalized kind gives a NormalizedRegistryEvent of that kind, with the normalized context', () => {
    hooks.on('artifact.pushed', (event, context) => {
      expectTypeOf(event).toEqualTypeOf<NormalizedEventOf<'artifact.pushed'>>();
      expectTypeOf(event.kind).toEqualTypeOf<'artifact.pushed'>();
      expectTypeOf(event).toMatchTypeOf<NormalizedRegistryEvent>();
      expectTypeOf(context).toEqualTypeOf<NormalizedEventContext>();
    });
    hooks.on('scan.completed', (event) => {
      expectTypeOf(event.kind).toEqualTypeOf<'scan.completed'>();
      // @ts-expect-error a scan event is never an artifact push
      expectTypeOf(event.kind).toEqualTypeOf<'artifact.pushed'>();
    });
  });

  it('several kinds give the union of those kinds', () => {
    hooks.on(['tag.deleted', 'artifact.deleted'], (event) => {
      expectTypeOf(event.kind).toEqualTypeOf<'tag.deleted' | 'artifact.deleted'>();
    });
  });

  it('distribution keys keep their types', () => {
    hooks.on('push:manifest', (event, context) => {
      expectTypeOf(event).toEqualTypeOf<ManifestPushEvent>();
      expectTypeOf(context).toEqualTypeOf<EventContext>();
    });
    hooks.on(['delete:tag', 'mount'], (event) => {
      expectTypeOf(event).toEqualTypeOf<TagDeleteEvent | MountEvent>();
    });
  });

  it('a key mixing both views gives either view', () => {
    hooks.on(['push:manifest', 'artifact.pushed'], (event, context) => {
      expectTypeOf(event).toEqualTypeOf<ManifestPushEvent | NormalizedEventOf<'artifact.pushed'>>();
      expectTypeOf(context).toEqualTypeOf<EventContext | NormalizedEventContext>();
    });
  });

  it('misspelled kinds and keys do not compile', () => {
    // @ts-expect-error not a normalized kind
    hooks.on('artifact.pushd', () => undefined);
    // @ts-expect-error kinds use dots, not colons
    hooks.on('artifact:pushed', () => undefined);
    // @ts-expect-error one bad key in a list
    hooks.on(['artifact.pushed', 'scan.complete'], () => undefined);
  });

  it('formats and vendor options are typed', () => {
    // @ts-expect-error not a format
    createWebhookHandler({ formats: ['harbour'], auth: { unauthenticated: true } });
    // @ts-expect-error Harbor takes its auth_header, not a secret
    createWebhookHandler({ formats: ['harbor'], auth: { harbor: { secret: 'x' } } });
    // @ts-expect-error JFrog modes are secret, hmac or either
    createWebhookHandler({ formats: ['artifactory'], auth: { artifactory: { secret: 'x', mode: 'signed' } } });
  });
});
