// The hand-written types refine the ones generated from schemas/: every value of a
// hand-written type is a value of the generated type, and both name the same fields.
import { describe, expectTypeOf, it } from 'vitest';
import type { components } from '../src/generated/openapi.js';
import type {
  ActorRecord,
  BlobTarget,
  ContentTarget,
  DeleteEvent,
  DeleteTarget,
  Descriptor,
  DigestDeleteTarget,
  Envelope,
  Event,
  ManifestTarget,
  MountEvent,
  MountTarget,
  Platform,
  PullEvent,
  PushEvent,
  RequestRecord,
  SourceRecord,
  TagDeleteTarget,
} from '../src/index.js';

type Generated = components['schemas'];
/** Every key any member of a union has. */
type AllKeys<T> = T extends unknown ? keyof T : never;

describe('hand-written types agree with the generated ones', () => {
  it('events', () => {
    expectTypeOf<PushEvent>().toExtend<Generated['PushEvent']>();
    expectTypeOf<PullEvent>().toExtend<Generated['PullEvent']>();
    expectTypeOf<DeleteEvent>().toExtend<Generated['DeleteEvent']>();
    expectTypeOf<MountEvent>().toExtend<Generated['MountEvent']>();
    expectTypeOf<Event>().toExtend<Generated['Event']>();
    expectTypeOf<Envelope>().toExtend<Generated['Envelope']>();
    expectTypeOf<Event['action']>().toEqualTypeOf<Generated['Event']['action']>();
    expectTypeOf<AllKeys<Event>>().toEqualTypeOf<AllKeys<Generated['Event']>>();
  });

  it('targets', () => {
    expectTypeOf<ContentTarget>().toExtend<Generated['ContentTarget']>();
    expectTypeOf<ManifestTarget>().toExtend<Generated['ContentTarget']>();
    expectTypeOf<BlobTarget>().toExtend<Generated['ContentTarget']>();
    expectTypeOf<MountTarget>().toExtend<Generated['MountTarget']>();
    expectTypeOf<DeleteTarget>().toExtend<Generated['DeleteTarget']>();
    expectTypeOf<DigestDeleteTarget>().toExtend<Generated['DigestDeleteTarget']>();
    expectTypeOf<TagDeleteTarget>().toExtend<Generated['TagDeleteTarget']>();
    expectTypeOf<AllKeys<ContentTarget>>().toEqualTypeOf<keyof Generated['ContentTarget']>();
    expectTypeOf<keyof MountTarget>().toEqualTypeOf<keyof Generated['MountTarget']>();
    expectTypeOf<keyof DigestDeleteTarget>().toEqualTypeOf<keyof Generated['DigestDeleteTarget']>();
    expectTypeOf<keyof TagDeleteTarget>().toEqualTypeOf<keyof Generated['TagDeleteTarget']>();
  });

  it('records and descriptors', () => {
    expectTypeOf<Descriptor>().toEqualTypeOf<Descriptor & Generated['Descriptor']>();
    expectTypeOf<keyof Descriptor>().toEqualTypeOf<keyof Generated['Descriptor']>();
    expectTypeOf<keyof Platform>().toEqualTypeOf<keyof Generated['Platform']>();
    expectTypeOf<RequestRecord>().toExtend<Generated['RequestRecord']>();
    expectTypeOf<Generated['RequestRecord']>().toExtend<RequestRecord>();
    expectTypeOf<ActorRecord>().toEqualTypeOf<ActorRecord & Generated['ActorRecord']>();
    expectTypeOf<SourceRecord>().toExtend<Generated['SourceRecord']>();
    expectTypeOf<Generated['SourceRecord']>().toExtend<SourceRecord>();
  });

  it('the generated types say what the hand-written ones add', () => {
    // The schema cannot tie `tag`/`references` to manifest targets: the hand-written BlobTarget can.
    expectTypeOf<Generated['ContentTarget']>().not.toExtend<BlobTarget>();
  });
});
