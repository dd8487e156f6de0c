import type { Descriptor, Platform } from '@regevents/types';
import {
  DOCKER_IMAGE_CONFIG,
  DOCKER_LAYER_GZIP,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST_V2,
  OCI_IMAGE_CONFIG,
  OCI_IMAGE_INDEX,
  OCI_IMAGE_LAYER_GZIP,
  OCI_IMAGE_MANIFEST,
} from '@regevents/types';
import { createTar } from 'nanotar';
import { digestOf } from './digest.js';

/** Content with its descriptor: a layer, a config, a manifest or an index. */
export interface Content extends Descriptor {
  bytes: Uint8Array;
}

export type ImageFormat = 'oci' | 'docker';

export interface LayerSpec {
  /** Files of the layer (path → content). Default: one file of `size` seeded pseudo-random bytes. */
  files?: Record<string, string | Uint8Array>;
  size?: number;
  seed?: number;
}

export interface ImageOptions {
  /** A number of generated layers or their specs (default 1). */
  layers?: number | LayerSpec[];
  /** Bytes per generated layer file (default 1024). */
  layerSize?: number;
  /** Varies generated content so images with different seeds share no blob (default 1). */
  seed?: number;
  platform?: Platform;
  /** Two or more platforms build an index (OCI) or manifest list (Docker) over one image each. */
  platforms?: Platform[];
  format?: ImageFormat;
  annotations?: Record<string, string>;
  /** OCI 1.1: the manifest this one refers to (makes it show up in the referrers API). */
  subject?: Descriptor;
  artifactType?: string;
}

export interface Image {
  kind: 'image';
  manifest: Content;
  config: Content;
  layers: Content[];
}

export interface ImageIndex {
  kind: 'index';
  manifest: Content;
  images: Image[];
}

export type BuiltImage = Image | ImageIndex;

const encoder = new TextEncoder();

/** Seeded xorshift bytes: incompressible like real layer content, and the same every run. */
export function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function content(mediaType: string, bytes: Uint8Array): Content {
  return { mediaType, digest: digestOf(bytes), size: bytes.byteLength, bytes };
}

export function descriptorOf({ mediaType, digest, size, platform, annotations, artifactType }: Content): Descriptor {
  const descriptor: Descriptor = { mediaType, digest, size };
  if (platform) descriptor.platform = platform;
  if (annotations) descriptor.annotations = annotations;
  if (artifactType) descriptor.artifactType = artifactType;
  return descriptor;
}

/** A gzip-compressed tar layer and the digest of its uncompressed tar (the config's diff_id). */
export async function createLayer(spec: LayerSpec = {}, format: ImageFormat = 'oci'): Promise<{ layer: Content; diffId: string }> {
  const files = spec.files ?? { 'data.bin': pseudoRandomBytes(spec.seed ?? 1, spec.size ?? 1024) };
  const tar = createTar(
    Object.entries(files).map(([name, data]) => ({ name, data: typeof data === 'string' ? encoder.encode(data) : data, attrs: { mtime: 0, uid: 0, gid: 0 } })),
  );
  const layer = content(format === 'oci' ? OCI_IMAGE_LAYER_GZIP : DOCKER_LAYER_GZIP, await gzip(tar));
  return { layer, diffId: digestOf(tar) };
}

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

async function buildImage(options: ImageOptions, platform: Platform, seed: number): Promise<Image> {
  const format = options.format ?? 'oci';
  const specs = typeof options.layers === 'object' ? options.layers : Array.from({ length: options.layers ?? 1 }, () => ({}));
  const built = await Promise.all(specs.map((spec, n) => createLayer({ size: options.layerSize, seed: seed * 1000 + n + 1, ...spec }, format)));
  const layers = built.map(({ layer }) => layer);
  const config = content(
    format === 'oci' ? OCI_IMAGE_CONFIG : DOCKER_IMAGE_CONFIG,
    json({ architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), created: '1970-01-01T00:00:00Z', config: {}, rootfs: { type: 'layers', diff_ids: built.map(({ diffId }) => diffId) } }),
  );
  const mediaType = format === 'oci' ? OCI_IMAGE_MANIFEST : DOCKER_MANIFEST_V2;
  const body: Record<string, unknown> = { schemaVersion: 2, mediaType };
  if (options.artifactType) body.artifactType = options.artifactType;
  body.config = descriptorOf(config);
  body.layers = layers.map(descriptorOf);
  if (options.subject) body.subject = options.subject;
  if (options.annotations) body.annotations = options.annotations;
  const manifest = content(mediaType, json(body));
  if (options.artifactType) manifest.artifactType = options.artifactType;
  if (options.annotations) manifest.annotations = options.annotations;
  return { kind: 'image', manifest, config, layers };
}

/**
 * A realistic image: valid gzip tar layers, an image config whose diff_ids match them, and an
 * OCI or Docker manifest, or an index/manifest list over one image per platform.
 */
export async function createImage(options: ImageOptions = {}): Promise<BuiltImage> {
  const seed = options.seed ?? 1;
  const platforms = options.platforms ?? [options.platform ?? { os: 'linux', architecture: 'amd64' }];
  if (platforms.length === 1) return buildImage(options, platforms[0] as Platform, seed);
  const images = await Promise.all(platforms.map((platform, i) => buildImage(options, platform, seed * 100 + i)));
  for (const [i, image] of images.entries()) image.manifest.platform = platforms[i];
  const mediaType = options.format === 'docker' ? DOCKER_MANIFEST_LIST : OCI_IMAGE_INDEX;
  const manifest = content(mediaType, json({ schemaVersion: 2, mediaType, manifests: images.map(({ manifest }) => descriptorOf(manifest)) }));
  return { kind: 'index', manifest, images };
}

/** Every blob of an image (layers and configs, no manifests), without repeats. */
export function blobsOf(image: BuiltImage): Content[] {
  const images = image.kind === 'index' ? image.images : [image];
  const seen = new Map<string, Content>();
  for (const { layers, config } of images) for (const blob of [...layers, config]) seen.set(blob.digest, blob);
  return [...seen.values()];
}
