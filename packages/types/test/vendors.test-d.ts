// The other registries' types: the hand-refined ones agree with what openapi-typescript generates
// from schemas/vendors, and their discriminants narrow.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  GarData,
  GarPayload,
  GeneratedVendorComponents,
  GitlabActor,
  GitlabEvent,
  GitlabRename,
  HarborCloudEvent,
  HarborEventData,
  HarborPayload,
  HarborPayloadOf,
} from '../src/index.js';

type Generated = GeneratedVendorComponents['schemas'];

describe('vendor types', () => {
  it('GarData is the object the generated type widens to unknown (an anyOf of required fields)', () => {
    // When openapi-typescript learns to keep it, this fails and the hand-written GarData can go.
    expectTypeOf<Generated['GarData']>().toBeUnknown();
    expectTypeOf<GarData['action']>().toEqualTypeOf<'INSERT' | 'DELETE'>();
    expectTypeOf<keyof GarData>().toEqualTypeOf<'action' | 'digest' | 'tag'>();
    expectTypeOf<GarPayload>().toEqualTypeOf<GarData | Generated['GarPushEnvelope']>();
  });

  it("a Harbor payload's type selects its shape", () => {
    expectTypeOf<HarborPayload>().toEqualTypeOf<Generated['Harbor']>();
    expectTypeOf<HarborPayloadOf<'PUSH_ARTIFACT'>['type']>().toEqualTypeOf<'PUSH_ARTIFACT'>();
    expectTypeOf<HarborPayload['type']>().toEqualTypeOf<'PUSH_ARTIFACT' | 'PULL_ARTIFACT' | 'DELETE_ARTIFACT' | 'SCANNING_COMPLETED' | 'SCANNING_FAILED' | 'SCANNING_STOPPED' | 'QUOTA_EXCEED' | 'QUOTA_WARNING' | 'REPLICATION' | 'TAG_RETENTION'>();
    // @ts-expect-error not a Harbor event type
    expectTypeOf<HarborPayloadOf<'PUSH_IMAGE'>>().toBeNever();
    const narrow = (payload: HarborPayload) => (payload.type === 'TAG_RETENTION' ? payload : undefined);
    expectTypeOf<NonNullable<ReturnType<typeof narrow>>>().toEqualTypeOf<HarborPayloadOf<'TAG_RETENTION'>>();
  });

  it("Harbor's CloudEvent carries the Default payload's event_data", () => {
    expectTypeOf<HarborCloudEvent['data']>().toExtend<HarborEventData>();
    expectTypeOf<HarborCloudEvent>().toExtend<Generated['HarborCloudevents']>();
  });

  it('a GitLab rename is told apart by its action, and every GitLab actor may say its user type', () => {
    const rename = (event: GitlabEvent) => (event.action === 'rename' ? event.target.rename : undefined);
    expectTypeOf<NonNullable<ReturnType<typeof rename>>>().toEqualTypeOf<GitlabRename>();
    expectTypeOf<GitlabEvent['actor']>().toExtend<GitlabActor | undefined>();
    expectTypeOf<GitlabActor>().toHaveProperty('user_type');
  });
});
