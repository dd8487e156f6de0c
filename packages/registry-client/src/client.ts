import { OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST, type Descriptor } from '@regevents/types';
import { Authenticator, type RegistryAuth } from './auth.js';
import { deleteBlob, getBlob, headBlob, type BlobInfo, type BlobStream, type GetBlobOptions } from './blobs.js';
import { listRepositories } from './catalog.js';
import type { CallOptions, ClientContext, Limits } from './context.js';
import { copyImage, type CopyOptions, type CopyResult, type CopySource, type CopyTarget } from './copy.js';
import { portableSha256, type HashFactory } from './digest.js';
import { deleteManifest, deleteTag, getManifest, headManifest, putManifest, type GetManifestOptions, type Manifest, type ManifestContent, type ManifestJson } from './manifests.js';
import type { ListOptions } from './paging.js';
import { ping, type PingResult } from './ping.js';
import { addToReferrersTag, listReferrers, type ReferrersOptions } from './referrers.js';
import { listTags } from './tags.js';
import { Transport, type RetryOptions } from './transport.js';
import { mountBlob, pushBlob, type LazyBlobSource, type PushBlobOptions, type PushBlobResult } from './upload.js';

export const DEFAULT_USER_AGENT = 'regevents-registry-client/0.1.0';

export interface RegistryClientOptions {
  /** `http://127.0.0.1:5000` or `https://registry.example`; only the origin is used. */
  baseUrl: string;
  /** Anonymous when omitted; Basic credentials also drive the token flow when the registry challenges with `Bearer`. */
  auth?: RegistryAuth;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /**
   * Sent on every request. Registry events record it (`request.useragent`), so give each tool its
   * own: pull statistics can then leave the tool's reads out.
   */
  userAgent?: string;
  /** Static headers for every request to the registry (never sent to other hosts). */
  headers?: Record<string, string>;
  retry?: RetryOptions;
  /** Blob transfers in flight during `copy` (default 4). */
  concurrency?: number;
  /** Longest wait for response headers or the next body bytes (default 30 000 ms). */
  timeoutMs?: number;
  /** Chunk size of chunked uploads (default 8 MiB). */
  chunkSize?: number;
  limits?: Partial<Limits>;
  /** Incremental SHA-256 for streams (default pure JS; `@regevents/registry-client/node` uses node:crypto). */
  sha256?: HashFactory;
}

export interface RegistryClient {
  readonly baseUrl: string;
  readonly userAgent: string;
  /** Transfers `copy` runs at once, unless its options say otherwise. */
  readonly concurrency: number;
  ping(options?: CallOptions): Promise<PingResult>;
  getManifest(repository: string, reference: string, options?: GetManifestOptions): Promise<Manifest>;
  headManifest(repository: string, reference: string, options?: GetManifestOptions): Promise<Descriptor | undefined>;
  /** PUT by tag or digest; a manifest with a `subject` is added to the referrers fallback tag when the registry does not index it. */
  putManifest(repository: string, reference: string, manifest: ManifestContent, options?: CallOptions): Promise<{ digest: string }>;
  deleteManifest(repository: string, digest: string, options?: CallOptions): Promise<void>;
  deleteTag(repository: string, tag: string, options?: CallOptions): Promise<void>;
  headBlob(repository: string, digest: string, options?: CallOptions): Promise<BlobInfo | undefined>;
  getBlob(repository: string, digest: string, options?: GetBlobOptions): Promise<BlobStream>;
  pushBlob(repository: string, source: LazyBlobSource, options?: PushBlobOptions): Promise<PushBlobResult>;
  mountBlob(repository: string, digest: string, fromRepository: string, options?: CallOptions): Promise<boolean>;
  deleteBlob(repository: string, digest: string, options?: CallOptions): Promise<void>;
  tags(repository: string, options?: ListOptions): AsyncGenerator<string>;
  catalog(options?: ListOptions): AsyncGenerator<string>;
  referrers(repository: string, digest: string, options?: ReferrersOptions): Promise<Descriptor[]>;
  copy(source: CopySource, target: CopyTarget, options?: CopyOptions): Promise<CopyResult>;
}

function subjectOf(manifest: ManifestContent): ManifestJson | undefined {
  if (manifest.mediaType !== OCI_IMAGE_MANIFEST && manifest.mediaType !== OCI_IMAGE_INDEX) return undefined;
  try {
    const json = JSON.parse(new TextDecoder().decode(manifest.bytes)) as ManifestJson;
    return json.subject ? json : undefined;
  } catch {
    return undefined;
  }
}

/** A client for one registry. Credentials stay in private state: not in errors, `toString`, `inspect` or JSON. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const baseUrl = new URL(options.baseUrl).origin;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const authenticator = new Authenticator({ auth: options.auth, fetch: fetchImpl, userAgent });
  const context: ClientContext = {
    transport: new Transport({
      baseUrl,
      fetch: fetchImpl,
      userAgent,
      headers: options.headers ?? {},
      authenticator,
      retry: { attempts: options.retry?.attempts ?? 3, maxDelayMs: options.retry?.maxDelayMs ?? 10_000 },
      timeoutMs: options.timeoutMs ?? 30_000,
    }),
    sha256: options.sha256 ?? portableSha256,
    limits: { manifestBytes: 4 * 1024 * 1024, pageBytes: 32 * 1024 * 1024, pages: 10_000, ...options.limits },
    chunkSize: options.chunkSize ?? 8 * 1024 * 1024,
    resumeAttempts: options.retry?.attempts ?? 3,
  };
  const describe = () => `RegistryClient(${baseUrl})`;

  const client: RegistryClient = {
    baseUrl,
    userAgent,
    concurrency: options.concurrency ?? 4,
    ping: (callOptions) => ping(context, callOptions),
    getManifest: (repository, reference, callOptions) => getManifest(context, repository, reference, callOptions),
    headManifest: (repository, reference, callOptions) => headManifest(context, repository, reference, callOptions),
    async putManifest(repository, reference, manifest, callOptions) {
      const { digest, subjectIndexed } = await putManifest(context, repository, reference, manifest, callOptions);
      const json = subjectIndexed ? undefined : subjectOf(manifest);
      if (json?.subject) {
        const referrer: Descriptor = { mediaType: manifest.mediaType, digest, size: manifest.bytes.byteLength };
        const artifactType = json.artifactType ?? json.config?.mediaType;
        if (artifactType) referrer.artifactType = artifactType;
        if (json.annotations) referrer.annotations = json.annotations;
        await addToReferrersTag(context, repository, json.subject.digest, referrer, callOptions);
      }
      return { digest };
    },
    deleteManifest: (repository, digest, callOptions) => deleteManifest(context, repository, digest, callOptions),
    deleteTag: (repository, tag, callOptions) => deleteTag(context, repository, tag, callOptions),
    headBlob: (repository, digest, callOptions) => headBlob(context, repository, digest, callOptions),
    getBlob: (repository, digest, callOptions) => getBlob(context, repository, digest, callOptions),
    pushBlob: (repository, source, callOptions) => pushBlob(context, repository, source, callOptions),
    mountBlob: (repository, digest, from, callOptions) => mountBlob(context, repository, digest, from, callOptions),
    deleteBlob: (repository, digest, callOptions) => deleteBlob(context, repository, digest, callOptions),
    tags: (repository, listOptions) => listTags(context, repository, listOptions),
    catalog: (listOptions) => listRepositories(context, listOptions),
    referrers: (repository, digest, callOptions) => listReferrers(context, repository, digest, callOptions),
    copy: (source, target, copyOptions) => copyImage(client, source, target, copyOptions),
  };
  Object.defineProperties(client, {
    toString: { value: describe },
    toJSON: { value: () => ({ baseUrl, userAgent }) },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: describe },
  });
  return client;
}
