import { describe, expectTypeOf, it } from 'vitest';
import {
  isBlobTarget,
  isManifestTarget,
  isTagDeleteTarget,
  type BlobTarget,
  type DeleteEvent,
  type DigestDeleteTarget,
  type ManifestTarget,
  type TagDeleteTarget,
  type Descriptor,
  type Event,
  type EventAction,
  type EventForAction,
  type MountEvent,
  type PushEvent,
} from '../src/index.js';

declare const event: Event;

describe('Event narrows by action', () => {
  it('each action selects its event type', () => {
    if (event.action === 'mount') {
      expectTypeOf(event).toEqualTypeOf<MountEvent>();
      expectTypeOf(event.target.fromRepository).toEqualTypeOf<string>();
    }
    if (event.action === 'delete') expectTypeOf(event).toEqualTypeOf<DeleteEvent>();
    if (event.action === 'push') expectTypeOf(event).toEqualTypeOf<PushEvent>();
    expectTypeOf<EventForAction<'mount'>>().toEqualTypeOf<MountEvent>();
    expectTypeOf<Event['action']>().toEqualTypeOf<EventAction>();
  });

  it('a misspelled action does not compile', () => {
    // @ts-expect-error 'pussh' is not an action
    if (event.action === 'pussh') return;
    // @ts-expect-error 'rename' is GitLab's, not distribution's
    const action: EventAction = 'rename';
    void action;
  });

  it('fromRepository exists only on mounts, tag is optional', () => {
    if (event.action === 'push') {
      // @ts-expect-error a push has no fromRepository
      void event.target.fromRepository;
      expectTypeOf(event.target.tag).toEqualTypeOf<string | undefined>();
    }
    if (event.action === 'mount') {
      // @ts-expect-error a mount names no tag
      void event.target.tag;
    }
  });

  it('references exist only on manifest targets', () => {
    if (event.action === 'push' || event.action === 'pull') {
      if (isManifestTarget(event.target)) expectTypeOf(event.target.references).toEqualTypeOf<Descriptor[] | undefined>();
      if (isBlobTarget(event.target)) {
        expectTypeOf(event.target.references).toEqualTypeOf<undefined>();
        expectTypeOf(event.target.tag).toEqualTypeOf<undefined>();
      }
    }
  });

  it('both branches of a guard narrow', () => {
    if (event.action === 'push') {
      if (isManifestTarget(event.target)) expectTypeOf(event.target).toEqualTypeOf<ManifestTarget>();
      else expectTypeOf(event.target).toEqualTypeOf<BlobTarget>();
      if (isBlobTarget(event.target)) expectTypeOf(event.target).toEqualTypeOf<BlobTarget>();
      else expectTypeOf(event.target).toEqualTypeOf<ManifestTarget>();
    }
    if (event.action === 'delete') {
      if (isTagDeleteTarget(event.target)) expectTypeOf(event.target).toEqualTypeOf<TagDeleteTarget>();
      else expectTypeOf(event.target).toEqualTypeOf<DigestDeleteTarget>();
    }
  });

  it('tag deletes and digest deletes are told apart', () => {
    if (event.action === 'delete') {
      if (isTagDeleteTarget(event.target)) {
        expectTypeOf(event.target.tag).toEqualTypeOf<string>();
        expectTypeOf(event.target.digest).toEqualTypeOf<'' | undefined>();
      } else {
        expectTypeOf(event.target.digest).toEqualTypeOf<string>();
      }
    }
  });
});
