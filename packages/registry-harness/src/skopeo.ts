import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once, run, type RunResult } from './process.js';

export interface SkopeoOptions {
  /**
   * Directory for skopeo's blob-info cache, shared by the runs given the same one, as a user's runs
   * share theirs (a copy mounts blobs an earlier push recorded). Default: a cache of this run alone.
   */
  blobInfoCache?: string;
  timeoutMs?: number;
}

/**
 * Runs skopeo with a blob-info cache that is not the machine's. By default skopeo keeps one cache
 * for the whole machine, keyed by registry host:port, and tries blob mounts it remembers there: a
 * registry that reuses the port of an earlier test's registry then sees probes for repositories it
 * never had, so the requests of a copy would depend on what ran before it. containers/image puts
 * the cache under $XDG_DATA_HOME when it believes it runs rootless, which `_CONTAINERS_ROOTLESS_UID` tells it.
 */
export async function skopeo(args: string[], options: SkopeoOptions = {}): Promise<RunResult> {
  const dataHome = options.blobInfoCache ?? (await mkdtemp(join(tmpdir(), 'regevents-skopeo-')));
  try {
    return await run('skopeo', args, options.timeoutMs, { ...process.env, XDG_DATA_HOME: dataHome, _CONTAINERS_ROOTLESS_UID: String(process.getuid?.() || 1) });
  } finally {
    if (!options.blobInfoCache) await rm(dataHome, { recursive: true, force: true });
  }
}

export interface CopyOptions extends Pick<SkopeoOptions, 'blobInfoCache'> {
  /** Copy every platform of an index (`--all`). */
  all?: boolean;
  /** `user:password` for the source registry. */
  srcCreds?: string;
  /** `user:password` for the destination registry. */
  destCreds?: string;
}

/** `skopeo copy` against plain-http loopback registries. */
export async function skopeoCopy(source: string, destination: string, options: CopyOptions = {}): Promise<void> {
  const args = ['--insecure-policy', 'copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false'];
  if (options.all) args.push('--all');
  if (options.srcCreds) args.push('--src-creds', options.srcCreds);
  if (options.destCreds) args.push('--dest-creds', options.destCreds);
  await skopeo([...args, source, destination], { blobInfoCache: options.blobInfoCache });
}

/** `skopeo delete` of an image reference on a plain-http loopback registry. */
export async function skopeoDelete(reference: string, options: { creds?: string } & Pick<SkopeoOptions, 'blobInfoCache'> = {}): Promise<void> {
  const args = ['--insecure-policy', 'delete', '--tls-verify=false'];
  if (options.creds) args.push('--creds', options.creds);
  await skopeo([...args, reference], { blobInfoCache: options.blobInfoCache });
}

async function readSkopeoVersion(): Promise<string> {
  const { stdout } = await skopeo(['--version']);
  return stdout.trim().replace(/^skopeo version\s+/, '');
}

/** The installed skopeo's version, asked once per process. */
export const skopeoVersion = once(readSkopeoVersion);
