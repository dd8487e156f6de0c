/**
 * Docker Hub's names, in one place. An image reference names Docker Hub by `docker.io` (the domain
 * references are normalized to) or by the legacy index's `index.docker.io`; `docker login` keeps
 * its credentials under `https://index.docker.io/v1/`. The registry API itself is served on
 * `registry-1.docker.io`: a base URL names that host, an image reference does not (as in Docker's
 * reference grammar, `registry-1.docker.io/app` is a registry of its own, without `library/`).
 */
export const DOCKER_HUB = 'docker.io';

const REFERENCE_DOMAINS: ReadonlySet<string> = new Set([DOCKER_HUB, 'index.docker.io']);
const API_HOST = 'registry-1.docker.io';

/** The domain of an image reference is Docker Hub's (`docker.io`, `index.docker.io`). */
export const isDockerHubDomain = (domain: string): boolean => REFERENCE_DOMAINS.has(domain);

/** A host Docker Hub is reached or keyed by: a reference domain or the API host; credentials for one are credentials for all. */
export const isDockerHubHost = (host: string): boolean => isDockerHubDomain(host) || host === API_HOST;
