import type { Descriptor } from '@regevents/types';
import { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST } from '@regevents/types';
import { isDigest } from './digest.js';
import { RegistryError } from './errors.js';
import { jsonSyntaxErrorOffset } from './json-syntax.js';

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

/** distribution's detail for a manifest it cannot use is a Go error value, which marshals as `{}`. */
function invalid(): RegistryError {
  return new RegistryError('MANIFEST_INVALID', { detail: {} });
}

function descriptor(value: unknown): Descriptor {
  if (typeof value !== 'object' || value === null) throw invalid();
  const { mediaType, size, digest } = value as Record<string, unknown>;
  if (typeof mediaType !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || typeof digest !== 'string' || !isDigest(digest)) {
    throw invalid();
  }
  return value as Descriptor;
}

function descriptors(value: unknown): Descriptor[] {
  if (!Array.isArray(value)) throw invalid();
  return value.map((item) => descriptor(item));
}

/**
 * Parses a manifest PUT as distribution does: the Content-Type names the schema (an
 * `application/json` or empty type falls back to the body's `mediaType`); a body whose own
 * `mediaType` contradicts it is invalid.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | null, digest: string): ManifestRecord {
  const declared = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid();
  }
  // Go's *json.SyntaxError marshals as its Offset, the only exported field.
  const offset = jsonSyntaxErrorOffset(text);
  if (offset !== undefined) throw new RegistryError('MANIFEST_INVALID', { detail: { Offset: offset } });
  const json = JSON.parse(text) as ManifestJson;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid();
  const bodyType = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  const mediaType = INDEX_TYPES.has(declared) || IMAGE_TYPES.has(declared) ? declared : declared === '' || declared === 'application/json' ? bodyType : undefined;
  if (!mediaType || !(INDEX_TYPES.has(mediaType) || IMAGE_TYPES.has(mediaType))) throw invalid();
  if (bodyType !== undefined && bodyType !== mediaType) throw invalid();
  if (json.schemaVersion !== 2) throw invalid();

  const isIndex = INDEX_TYPES.has(mediaType);
  const references = isIndex
    ? descriptors(json.manifests)
    : [descriptor(json.config), ...descriptors(json.layers)];
  const record: ManifestRecord = { digest, mediaType, size: bytes.byteLength, references, isIndex };
  if (json.subject !== undefined) record.subject = descriptor(json.subject).digest;
  const artifactType = typeof json.artifactType === 'string' ? json.artifactType : isIndex ? undefined : (json.config as Descriptor).mediaType;
  if (artifactType) record.artifactType = artifactType;
  if (typeof json.annotations === 'object' && json.annotations !== null) record.annotations = json.annotations as Record<string, string>;
  return record;
}
