import { once, run } from './process.js';

export interface CopyOptions {
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
  await run('skopeo', [...args, source, destination]);
}

/** `skopeo delete` of an image reference on a plain-http loopback registry. */
export async function skopeoDelete(reference: string, options: { creds?: string } = {}): Promise<void> {
  const args = ['--insecure-policy', 'delete', '--tls-verify=false'];
  if (options.creds) args.push('--creds', options.creds);
  await run('skopeo', [...args, reference]);
}

async function readSkopeoVersion(): Promise<string> {
  const { stdout } = await run('skopeo', ['--version']);
  return stdout.trim().replace(/^skopeo version\s+/, '');
}

/** The installed skopeo's version, asked once per process. */
export const skopeoVersion = once(readSkopeoVersion);
