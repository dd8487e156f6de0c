import { describe, expect, it } from 'vitest';
import { normaliseChallenge, normaliseUrl, toAnswer } from './api-answers.js';

const ORIGIN = 'http://127.0.0.1:40123';
const UPLOAD = `${ORIGIN}/v2/demo/app/blobs/uploads/9a58577b-1b51-43df-8df3-eeceeea37b41?_state=EZdl-0qW%3D%3D&digest=sha256:abc`;

describe('the differential tests normalise only what two registries may legitimately answer differently', () => {
  it('replaces the origin, the upload UUID and the _state token, and keeps the rest of the Location', () => {
    expect(normaliseUrl(UPLOAD, [ORIGIN])).toBe('<origin>/v2/demo/app/blobs/uploads/<uuid>?_state=<state>&digest=sha256:abc');
  });

  it('keeps another origin, a relative Location and a different path distinguishable', () => {
    expect(normaliseUrl(UPLOAD.replace('40123', '40124'), [ORIGIN])).not.toBe(normaliseUrl(UPLOAD, [ORIGIN]));
    expect(normaliseUrl('/v2/demo/app/blobs/uploads/9a58577b-1b51-43df-8df3-eeceeea37b41', [ORIGIN])).toBe('/v2/demo/app/blobs/uploads/<uuid>');
    expect(normaliseUrl(UPLOAD.replace('/demo/app/', '/demo/other/'), [ORIGIN])).not.toBe(normaliseUrl(UPLOAD, [ORIGIN]));
  });

  it('compares error bodies by code, message and detail, and tag lists in any order, but other bodies byte for byte', () => {
    const json = new Headers({ 'content-type': 'application/json; charset=utf-8', 'content-length': '10', date: 'now' });
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const tags = (list: string[]) => toAnswer('GET /v2/r/tags/list', 200, json, encode({ name: 'r', tags: list }), [ORIGIN]);
    expect(tags(['b', 'a'])).toEqual(tags(['a', 'b']));
    expect(tags(['a'])).not.toEqual(tags(['a', 'b']));
    expect(tags(['a']).headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'content-length': '10' });

    const error = (detail: unknown) => toAnswer('GET /', 404, json, encode({ errors: [{ code: 'NAME_UNKNOWN', message: 'm', detail }] }), [ORIGIN]);
    expect(error({ name: 'r' })).not.toEqual(error({}));

    const octets = new Headers({ 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    const manifest = (text: string) => toAnswer('GET /', 200, octets, new TextEncoder().encode(text), [ORIGIN]);
    expect(manifest('{"a": 1}')).not.toEqual(manifest('{"a":1}'));
  });

  it('sorts the scopes of a token challenge and the actions of each, and nothing else', () => {
    const challenge = (scope: string) => `Bearer realm="http://127.0.0.1:9/token",service="s",scope="${scope}"`;
    const sorted = challenge('repository:a/b:pull,push repository:c/d:pull');
    expect(normaliseChallenge(challenge('repository:c/d:pull repository:a/b:push,pull'))).toBe(sorted);
    expect(normaliseChallenge(challenge('repository:a/b:pull repository:c/d:pull'))).not.toBe(sorted);
    expect(normaliseChallenge(challenge('registry:catalog:*'))).toBe(challenge('registry:catalog:*'));
    expect(normaliseChallenge('Basic realm="regevents"')).toBe('Basic realm="regevents"');
  });
});
