import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTar } from 'nanotar';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface Platform {
  os: string;
  architecture: string;
}

export interface BuiltDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

/** An image held in memory: every blob by digest, and the root manifest or index. */
export interface BuiltImage {
  root: BuiltDescriptor;
  blobs: Map<string, Uint8Array>;
}

export interface ImageSpec {
  /** Varies the content so two images built with different seeds share no layer. */
  seed: number;
  layers?: number;
  layerBytes?: number;
  /** More than one platform builds an index over one manifest per platform. */
  platforms?: Platform[];
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Seeded xorshift bytes: incompressible like real layer content, and the same every run. */
function pseudoRandomBytes(seed: number, length: number): Uint8Array {
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

function addBlob(blobs: Map<string, Uint8Array>, mediaType: string, bytes: Uint8Array): BuiltDescriptor {
  const digest = sha256(bytes);
  blobs.set(digest, bytes);
  return { mediaType, digest, size: bytes.byteLength };
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function buildManifest(blobs: Map<string, Uint8Array>, seed: number, layers: number, layerBytes: number, platform: Platform): BuiltDescriptor {
  const layerDescriptors: BuiltDescriptor[] = [];
  const diffIds: string[] = [];
  for (let n = 0; n < layers; n++) {
    const tar = createTar([{ name: `layer-${n}/data.bin`, data: pseudoRandomBytes(seed * 1000 + n + 1, layerBytes), attrs: { mtime: 0, uid: 0, gid: 0 } }]);
    diffIds.push(sha256(tar));
    layerDescriptors.push(addBlob(blobs, OCI_LAYER_GZIP, gzipSync(tar)));
  }
  const config = addBlob(
    blobs,
    OCI_CONFIG,
    jsonBytes({ architecture: platform.architecture, os: platform.os, created: '1970-01-01T00:00:00Z', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }),
  );
  return addBlob(blobs, OCI_MANIFEST, jsonBytes({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: layerDescriptors }));
}

/** Builds a small valid OCI image (gzip tar layers, config, manifest, and an index for several platforms). */
export function buildImage(spec: ImageSpec): BuiltImage {
  const blobs = new Map<string, Uint8Array>();
  const layers = spec.layers ?? 1;
  const layerBytes = spec.layerBytes ?? 1024;
  const platforms = spec.platforms ?? [{ os: 'linux', architecture: 'amd64' }];
  if (platforms.length === 1) {
    return { root: buildManifest(blobs, spec.seed, layers, layerBytes, platforms[0] as Platform), blobs };
  }
  const manifests = platforms.map((platform, i) => ({
    ...buildManifest(blobs, spec.seed * 100 + i, layers, layerBytes, platform),
    platform,
  }));
  return { root: addBlob(blobs, OCI_INDEX, jsonBytes({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })), blobs };
}

/** Writes an OCI image layout folder that skopeo reads as `oci:DIR:TAG`. */
export async function writeOciLayout(dir: string, image: BuiltImage, tag: string): Promise<string> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  for (const [digest, bytes] of image.blobs) {
    await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
  }
  const { mediaType, digest, size } = image.root;
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType, digest, size, annotations: { 'org.opencontainers.image.ref.name': tag } }] }),
  );
  return `oci:${dir}:${tag}`;
}
