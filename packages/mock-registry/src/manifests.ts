import type { Descriptor } from '@regevents/types';
import { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST } from '@regevents/types';
import { isDigest } from './digest.js';
import { RegistryError } from './errors.js';

/** What the registry keeps about a stored manifest. */
export interface ManifestRecord {
  digest: string;
  mediaType: string;
  size: number;
  /** Config then layers for an image; child manifests for an index (the event's `references`). */
  references: Descriptor[];
  /** True when `references` are manifests (an index or list), false when they are blobs. */
  isIndex: boolean;
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const INDEX_TYPES = new Set([OCI_IMAGE_INDEX, DOCKER_MANIFEST_LIST]);
const IMAGE_TYPES = new Set([OCI_IMAGE_MANIFEST, DOCKER_MANIFEST_V2]);

interface ManifestJson {
  schemaVersion?: unknown;
  mediaType?: unknown;
  artifactType?: unknown;
  config?: unknown;
  layers?: unknown;
  manifests?: unknown;
  subject?: unknown;
  annotations?: unknown;
}

function invalid(reason: string): RegistryError {
  return new RegistryError('MANIFEST_INVALID', { detail: { reason } });
}

function descriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null) throw invalid(`${where} is not a descriptor`);
  const { mediaType, size, digest } = value as Record<string, unknown>;
  if (typeof mediaType !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || typeof digest !== 'string' || !isDigest(digest)) {
    throw invalid(`${where} needs mediaType, size and a sha256 digest`);
  }
  return value as Descriptor;
}

function descriptors(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value)) throw invalid(`${where} is not a list`);
  return value.map((item, i) => descriptor(item, `${where}[${i}]`));
}

/**
 * Parses a manifest PUT as distribution does: the Content-Type names the schema (an
 * `application/json` or empty type falls back to the body's `mediaType`); a body whose own
 * `mediaType` contradicts it is invalid.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | null, digest: string): ManifestRecord {
  const declared = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let json: ManifestJson;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as ManifestJson;
  } catch {
    throw new RegistryError('MANIFEST_INVALID', { detail: {} });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new RegistryError('MANIFEST_INVALID', { detail: {} });
  const bodyType = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  const mediaType = INDEX_TYPES.has(declared) || IMAGE_TYPES.has(declared) ? declared : declared === '' || declared === 'application/json' ? bodyType : undefined;
  if (!mediaType || !(INDEX_TYPES.has(mediaType) || IMAGE_TYPES.has(mediaType))) throw new RegistryError('MANIFEST_INVALID', { detail: {} });
  if (bodyType !== undefined && bodyType !== mediaType) throw invalid(`mediaType in manifest should be '${mediaType}' not '${bodyType}'`);
  if (json.schemaVersion !== 2) throw invalid('schemaVersion must be 2');

  const isIndex = INDEX_TYPES.has(mediaType);
  const references = isIndex
    ? descriptors(json.manifests, 'manifests')
    : [descriptor(json.config, 'config'), ...descriptors(json.layers, 'layers')];
  const record: ManifestRecord = { digest, mediaType, size: bytes.byteLength, references, isIndex };
  if (json.subject !== undefined) record.subject = descriptor(json.subject, 'subject').digest;
  const artifactType = typeof json.artifactType === 'string' ? json.artifactType : isIndex ? undefined : (json.config as Descriptor).mediaType;
  if (artifactType) record.artifactType = artifactType;
  if (typeof json.annotations === 'object' && json.annotations !== null) record.annotations = json.annotations as Record<string, string>;
  return record;
}
