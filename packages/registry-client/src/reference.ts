import { DOCKER_HUB, isDockerHubDomain } from './docker-hub.js';
import { InvalidReferenceError } from './errors.js';

// The grammar of distribution's reference package (names, domains, tags, digests).
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_ONLY = new RegExp(`^${DOMAIN}$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const NAME_MAX = 255;

export interface ImageReference {
  /** Host and optional port (`[::1]:5000` for IPv6); `docker.io` by default, undefined when defaults are off and none was written. */
  registry: string | undefined;
  /** Path inside the registry; Docker Hub's official images get `library/`. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

export interface ParseReferenceOptions {
  /** Apply Docker's defaults: no host means `docker.io`, a one-part name there means `library/NAME`. Default true. */
  dockerHub?: boolean;
  /**
   * Check every part against the grammar (default true). `false` only splits, never throws: for
   * references other systems wrote (vendor webhooks send upper-case names and shortened digests).
   */
  validate?: boolean;
}

export function isRepositoryName(name: string): boolean {
  return name.length <= NAME_MAX && REPOSITORY.test(name);
}

export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

/** Throws unless `name` is a repository name of the distribution grammar. */
export function assertRepository(name: string): void {
  if (!isRepositoryName(name)) throw new InvalidReferenceError(name, 'not a repository name (lowercase path components separated by "/", at most 255 characters)');
}

/** Throws unless `reference` is a tag or a digest. */
export function assertTagOrDigest(reference: string): void {
  if (!isTag(reference) && !isDigest(reference)) throw new InvalidReferenceError(reference, 'neither a tag nor a digest');
}

export function assertDigest(digest: string): void {
  if (!isDigest(digest)) throw new InvalidReferenceError(digest, 'not a digest (algorithm:hex)');
}

/** Docker's rule: the first component is a host when it has a `.` or `:`, is `localhost`, or has an upper-case letter. */
function splitRegistry(name: string): [string | undefined, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [undefined, name];
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === 'localhost' || first.startsWith('[') || first !== first.toLowerCase();
  return isHost ? [first, name.slice(slash + 1)] : [undefined, name];
}

/** Splits `registry/name:tag@digest` and checks every part against the distribution grammar. */
export function parseReference(text: string, options: ParseReferenceOptions = {}): ImageReference {
  const dockerHub = options.dockerHub ?? true;
  const validate = options.validate ?? true;
  const refuse = (reason: string) => {
    if (validate) throw new InvalidReferenceError(text, reason);
  };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) refuse(`"${digest.slice(0, 100)}" is not a digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && !rest.slice(colon).includes(']')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isTag(tag)) refuse(`"${tag.slice(0, 200)}" is not a tag`);
  }
  if (rest.length > NAME_MAX) refuse(`the name is longer than ${NAME_MAX} characters`);
  let [registry, repository] = splitRegistry(rest);
  if (registry !== undefined && !DOMAIN_ONLY.test(registry)) refuse(`"${registry}" is not a registry host`);
  if (repository !== repository.toLowerCase()) refuse('repository names must be lowercase');
  if (!REPOSITORY.test(repository)) refuse(`"${repository}" is not a repository name`);
  if (dockerHub) {
    if (registry === undefined || isDockerHubDomain(registry)) registry = DOCKER_HUB;
    if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  }
  return { registry, repository, tag, digest };
}

/** What to ask the registry for: the digest when there is one, else the tag, else `latest`. */
export function manifestReference(reference: Pick<ImageReference, 'tag' | 'digest'>): string {
  return reference.digest ?? reference.tag ?? 'latest';
}

/** The reference written back as text (`registry/repository:tag@digest`). */
export function formatReference(reference: ImageReference): string {
  const name = reference.registry === undefined ? reference.repository : `${reference.registry}/${reference.repository}`;
  return `${name}${reference.tag === undefined ? '' : `:${reference.tag}`}${reference.digest === undefined ? '' : `@${reference.digest}`}`;
}
