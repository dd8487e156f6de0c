import { describe, expect, it } from 'vitest';
import { formatReference, InvalidReferenceError, manifestReference, parseReference } from '../src/index.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: undefined }],
    ['nginx:1.25', { registry: 'docker.io', repository: 'library/nginx', tag: '1.25', digest: undefined }],
    ['index.docker.io/library/nginx', { registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: undefined }],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7', digest: undefined }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: undefined, digest: undefined }],
    ['localhost:5000/team/app:v1', { registry: 'localhost:5000', repository: 'team/app', tag: 'v1', digest: undefined }],
    ['127.0.0.1:5000/app@' + DIGEST, { registry: '127.0.0.1:5000', repository: 'app', tag: undefined, digest: DIGEST }],
    ['ghcr.io/org/app:1.0@' + DIGEST, { registry: 'ghcr.io', repository: 'org/app', tag: '1.0', digest: DIGEST }],
    ['[::1]:5000/app:latest', { registry: '[::1]:5000', repository: 'app', tag: 'latest', digest: undefined }],
    ['[2001:db8::1]/a/b', { registry: '[2001:db8::1]', repository: 'a/b', tag: undefined, digest: undefined }],
    ['Registry/app', { registry: 'Registry', repository: 'app', tag: undefined, digest: undefined }],
    ['a.b-c/d__e', { registry: 'a.b-c', repository: 'd__e', tag: undefined, digest: undefined }],
    ['my_org/my-app.v2:tag_1.x-y', { registry: 'docker.io', repository: 'my_org/my-app.v2', tag: 'tag_1.x-y', digest: undefined }],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
    expect(parseReference(formatReference(parseReference(text)))).toEqual(expected);
  });

  it.each([
    ['docker.io/nginx', 'docker.io', 'library/nginx'],
    ['index.docker.io/nginx', 'docker.io', 'library/nginx'],
    ['index.docker.io/bitnami/redis', 'docker.io', 'bitnami/redis'],
    // the host Docker Hub serves its API on is no name of Docker Hub in a reference (distribution's grammar keeps it)
    ['registry-1.docker.io/nginx', 'registry-1.docker.io', 'nginx'],
  ])("normalizes Docker Hub's reference domains: %s", (text, registry, repository) => {
    expect(parseReference(text)).toMatchObject({ registry, repository });
  });

  it('keeps what was written without Docker Hub defaults', () => {
    expect(parseReference('app:1.0', { dockerHub: false })).toEqual({ registry: undefined, repository: 'app', tag: '1.0', digest: undefined });
    expect(parseReference('demo/app', { dockerHub: false })).toEqual({ registry: undefined, repository: 'demo/app', tag: undefined, digest: undefined });
  });

  it('splits without checking when validate is off (references vendors wrote)', () => {
    expect(parseReference('ghcr.io/Codertocat/hello-world-npm/image-1:v1', { dockerHub: false, validate: false })).toEqual({
      registry: 'ghcr.io',
      repository: 'Codertocat/hello-world-npm/image-1',
      tag: 'v1',
      digest: undefined,
    });
    expect(parseReference('us-west1-docker.pkg.dev/p/r/img@sha256:6ec1...', { dockerHub: false, validate: false }).digest).toBe('sha256:6ec1...');
    expect(() => parseReference('ghcr.io/Codertocat/x', { dockerHub: false })).toThrow(InvalidReferenceError);
  });

  it.each([
    ['', /not a repository name/],
    ['team/App', /lowercase/],
    ['a.b-c__d/e', /not a registry host/],
    ['docker.io/App', /lowercase/],
    ['app:', /not a tag/],
    ['app:-tag', /not a tag/],
    [`app:${'t'.repeat(129)}`, /not a tag/],
    ['app@sha256:xyz', /not a digest/],
    ['app@sha256:abc', /not a digest/],
    ['a//b', /not a repository name/],
    ['a/-b', /not a repository name/],
    ['a..b/c', /not a registry host/],
    ['-host.io/app', /not a registry host/],
    [`x/${'a'.repeat(300)}`, /longer than 255/],
    ['app:1.0:2.0', /not a repository name|not a registry host/],
  ])('refuses %s', (text, message) => {
    const error = (() => {
      try {
        parseReference(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect(String(error)).toMatch(message);
  });

  it('asks for the digest, else the tag, else latest', () => {
    expect(manifestReference(parseReference(`app:1@${DIGEST}`))).toBe(DIGEST);
    expect(manifestReference(parseReference('app:1'))).toBe('1');
    expect(manifestReference(parseReference('app'))).toBe('latest');
  });
});
