// The envelope and the four event shapes of schemas/distribution/*.json written as a zod schema,
// constraint for constraint (patterns, lengths, bounds, required fields, tolerant of unknown
// fields), so the benchmark compares validators doing the same work.
import { z } from 'zod';

const text = (maxLength) => z.string().max(maxLength);
const size = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const eventId = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);
const timestamp = text(40).regex(
  /^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$/,
);
const digest = text(256).regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/);
const mediaType = text(255).regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/);
const repository = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/);
const tag = text(128).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
const url = text(4096);

const platform = z.looseObject({
  architecture: text(64),
  os: text(64),
  'os.version': text(256).optional(),
  'os.features': z.array(text(256)).max(64).optional(),
  variant: text(64).optional(),
  features: z.array(text(256)).max(64).optional(),
});

const descriptorFields = {
  mediaType,
  size,
  digest,
  urls: z.array(text(4096)).max(64).optional(),
  annotations: z
    .record(z.string(), text(65536))
    .refine((annotations) => Object.keys(annotations).length <= 256, 'at most 256 annotations')
    .optional(),
  platform: platform.optional(),
  artifactType: mediaType.optional(),
  data: text(262144).regex(/^[A-Za-z0-9+/]*={0,2}$/).optional(),
};
const descriptor = z.looseObject(descriptorFields);

const contentTarget = z.looseObject({
  ...descriptorFields,
  repository,
  url,
  length: size.optional(),
  tag: tag.optional(),
  references: z.array(descriptor).max(10000).optional(),
});
const mountTarget = z.looseObject({ ...descriptorFields, repository, url, length: size.optional(), fromRepository: repository });
const deleteTarget = z.union([
  z.looseObject({
    mediaType: z.union([mediaType, z.literal('')]).optional(),
    size: size.optional(),
    digest,
    repository,
    tag: z.never().optional(),
    url: url.optional(),
    length: size.optional(),
  }),
  z.looseObject({
    mediaType: z.literal('').optional(),
    size: z.literal(0).optional(),
    digest: z.literal('').optional(),
    repository,
    tag,
    url: url.optional(),
    length: z.literal(0).optional(),
  }),
]);

const request = z.looseObject({ id: text(256), addr: text(1024).optional(), host: text(1024).optional(), method: text(32), useragent: text(4096) });
const actor = z.looseObject({ name: text(1024).optional() });
const source = z.looseObject({ addr: text(1024).optional(), instanceID: text(256).optional() });

const event = (action, target) => z.looseObject({ id: eventId, timestamp, action: z.literal(action), target, request, actor, source });

export const zodEnvelope = z.looseObject({
  events: z
    .array(
      z.discriminatedUnion('action', [event('push', contentTarget), event('pull', contentTarget), event('delete', deleteTarget), event('mount', mountTarget)]),
    )
    .max(1000),
});
