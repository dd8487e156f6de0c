import { DOCKER_MANIFEST_LIST, MANIFEST_MEDIA_TYPES, OCI_IMAGE_INDEX } from '@regevents/types';
import type { Descriptor } from '@regevents/types';
import { createImage, type BuiltImage, type Content, type Image, type ImageOptions } from './images.js';

/** Sends one request to the registry (its own handler, so the same events are emitted). */
export type Send = (request: Request) => Promise<Response>;

export interface ImageReference {
  repository: string;
  /** A tag or a digest. */
  reference: string;
}

/** `name:tag`, `name@sha256:…` or `name` (tag `latest`). */
export function parseReference(text: string): ImageReference {
  const at = text.indexOf('@');
  if (at >= 0) return { repository: text.slice(0, at), reference: text.slice(at + 1) };
  const colon = text.lastIndexOf(':');
  if (colon > text.lastIndexOf('/')) return { repository: text.slice(0, colon), reference: text.slice(colon + 1) };
  return { repository: text, reference: 'latest' };
}

export class RegistryClientError extends Error {
  readonly status: number;
  readonly body: string;

  constructor(what: string, status: number, body: string) {
    super(`${what}: registry answered ${status} ${body.trim()}`);
    this.name = 'RegistryClientError';
    this.status = status;
    this.body = body;
  }
}

export interface ClientOptions {
  base: () => string;
  send: Send;
  userAgent: string;
  headers?: Record<string, string>;
}

/** A pulled manifest and everything under it. */
export interface PulledImage {
  manifest: Content;
  /** Child manifests of an index, in order. */
  manifests: Content[];
  blobs: Content[];
}

const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

/** A minimal registry client speaking the same HTTP as skopeo: POST+PUT uploads, mounts, manifests by tag. */
export class RegistryClient {
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  async #request(method: string, path: string, init: { body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = /^https?:/.test(path) ? path : `${this.#options.base()}${path}`;
    const headers = { 'User-Agent': this.#options.userAgent, ...this.#options.headers, ...init.headers };
    return this.#options.send(new Request(url, { method, headers, body: init.body as BodyInit | undefined }));
  }

  async #expect(response: Response, statuses: number[], what: string): Promise<Response> {
    if (!statuses.includes(response.status)) throw new RegistryClientError(what, response.status, await response.text());
    return response;
  }

  async pushBlob(repository: string, blob: Content): Promise<void> {
    const start = await this.#expect(await this.#request('POST', `/v2/${repository}/blobs/uploads/`), [202], `start upload of ${blob.digest}`);
    const location = start.headers.get('location') as string;
    const url = `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(blob.digest)}`;
    await this.#expect(await this.#request('PUT', url, { body: blob.bytes, headers: { 'Content-Type': 'application/octet-stream' } }), [201], `upload of ${blob.digest}`);
  }

  async pushManifest(repository: string, reference: string, manifest: Content): Promise<void> {
    const response = await this.#request('PUT', `/v2/${repository}/manifests/${reference}`, { body: manifest.bytes, headers: { 'Content-Type': manifest.mediaType } });
    await this.#expect(response, [201], `push of manifest ${repository}:${reference}`);
  }

  async #pushOne(repository: string, image: Image, reference: string): Promise<void> {
    for (const blob of [...image.layers, image.config]) await this.pushBlob(repository, blob);
    await this.pushManifest(repository, reference, image.manifest);
  }

  /** Pushes every blob and manifest of an image, the root manifest under `reference`. */
  async pushImage(target: string, imageOrOptions: BuiltImage | ImageOptions = {}): Promise<BuiltImage> {
    const image = 'kind' in imageOrOptions ? imageOrOptions : await createImage(imageOrOptions);
    const { repository, reference } = parseReference(target);
    if (image.kind === 'image') {
      await this.#pushOne(repository, image, reference);
    } else {
      for (const child of image.images) await this.#pushOne(repository, child, child.manifest.digest);
      await this.pushManifest(repository, reference, image.manifest);
    }
    return image;
  }

  async getManifest(repository: string, reference: string): Promise<Content> {
    const response = await this.#expect(await this.#request('GET', `/v2/${repository}/manifests/${reference}`, { headers: { Accept: ACCEPT } }), [200], `pull of manifest ${repository}:${reference}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { mediaType: response.headers.get('content-type') ?? '', digest: response.headers.get('docker-content-digest') ?? '', size: bytes.byteLength, bytes };
  }

  async getBlob(repository: string, descriptor: Descriptor): Promise<Content> {
    const response = await this.#expect(await this.#request('GET', `/v2/${repository}/blobs/${descriptor.digest}`), [200], `pull of blob ${descriptor.digest}`);
    return { ...descriptor, bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  /** The manifests and blob descriptors under a manifest (children of an index fetched by digest). */
  async #walk(repository: string, root: Content, visit: (manifest: Content, blobs: Descriptor[]) => Promise<void>): Promise<Content[]> {
    const json = JSON.parse(new TextDecoder().decode(root.bytes)) as { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
    if (root.mediaType === OCI_IMAGE_INDEX || root.mediaType === DOCKER_MANIFEST_LIST) {
      const children: Content[] = [];
      for (const child of json.manifests ?? []) {
        const manifest = await this.getManifest(repository, child.digest);
        children.push(manifest);
        await this.#walk(repository, manifest, visit);
      }
      return children;
    }
    await visit(root, [...(json.layers ?? []), ...(json.config ? [json.config] : [])]);
    return [];
  }

  /** Fetches a manifest by tag or digest and every blob under it, as `skopeo copy docker://… oci:…` does. */
  async pullImage(source: string): Promise<PulledImage> {
    const { repository, reference } = parseReference(source);
    const manifest = await this.getManifest(repository, reference);
    const blobs: Content[] = [];
    const manifests = await this.#walk(repository, manifest, async (_, descriptors) => {
      for (const descriptor of descriptors) blobs.push(await this.getBlob(repository, descriptor));
    });
    return { manifest, manifests, blobs };
  }

  /** Copies an image between repositories of this registry: blobs are mounted when the source has them. */
  async copyImage(source: string, destination: string): Promise<void> {
    const from = parseReference(source);
    const to = parseReference(destination);
    const root = await this.getManifest(from.repository, from.reference);
    await this.#walk(from.repository, root, async (manifest, descriptors) => {
      for (const descriptor of descriptors) await this.#mountOrCopy(from.repository, to.repository, descriptor);
      // An index's children go by digest; the root goes by the destination tag below.
      if (manifest !== root) await this.pushManifest(to.repository, manifest.digest, manifest);
    });
    await this.pushManifest(to.repository, to.reference, root);
  }

  async #mountOrCopy(from: string, to: string, descriptor: Descriptor): Promise<void> {
    const mount = await this.#request('POST', `/v2/${to}/blobs/uploads/?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(from)}`);
    if (mount.status === 201) return;
    await this.#expect(mount, [202], `mount of ${descriptor.digest}`);
    await this.#request('DELETE', mount.headers.get('location') as string);
    await this.pushBlob(to, await this.getBlob(from, descriptor));
  }

  /** Deletes an image as `skopeo delete` does: resolve the tag with a GET, then DELETE by digest. */
  async deleteImage(target: string): Promise<string> {
    const { repository, reference } = parseReference(target);
    const manifest = await this.getManifest(repository, reference);
    await this.#expect(await this.#request('DELETE', `/v2/${repository}/manifests/${manifest.digest}`), [202], `delete of ${target}`);
    return manifest.digest;
  }
}
