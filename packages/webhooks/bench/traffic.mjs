// The bodies and headers every server gets, shared by the load generator and the servers.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const TOKEN = 'bench-token-0123456789';
export const OCTOKIT_SECRET = 'bench-hmac-secret-0123456789';
export const GHCR_SECRET = 'bench-ghcr-secret-0123456789';

// A push captured from the real registry; every request gets a fresh event id so dedupe never short-cuts.
const template = readFileSync(new URL('../../../fixtures/distribution/2.8.2/push-by-tag/003.json', import.meta.url), 'utf8');
const capturedId = JSON.parse(template).events[0].id;
const [before, after] = template.split(capturedId);
let counter = 0;
export const nextBody = () => `${before}00000000-0000-4000-8000-${(counter++).toString(16).padStart(12, '0')}${after}`;

// Octokit does not deduplicate, so one signed body serves; it has the same length as every nextBody().
export const octokitBody = `${before}00000000-0000-4000-8000-ffffffffffff${after}`;
const octokitHeaders = {
  'content-type': 'application/json',
  'x-github-event': 'registry_package',
  'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  'x-hub-signature-256': `sha256=${createHmac('sha256', OCTOKIT_SECRET).update(octokitBody).digest('hex')}`,
};

// GHCR events are deduplicated by their signed body: each request is another package version
// (a fresh 9-digit id in place of the fixture's), signed by the load generator as GitHub would
const ghcrTemplate = readFileSync(new URL('../../../fixtures/vendors/ghcr/package-published.json', import.meta.url), 'utf8');
const [ghcrBefore, ghcrAfter] = ghcrTemplate.split('"id":24147,');
const nextGhcrBody = () => `${ghcrBefore}"id":${100_000_000 + counter++},${ghcrAfter}`;
export const ghcrBytes = Buffer.byteLength(nextGhcrBody());

export const registryTraffic = {
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
  requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
};
// set up per request like the registry traffic, so the load generator does the same work for every server
export const octokitTraffic = { headers: octokitHeaders, requests: [{ setupRequest: (request) => ({ ...request, body: octokitBody }) }] };
export const ghcrTraffic = {
  requests: [
    {
      setupRequest: (request) => {
        const body = nextGhcrBody();
        const signature = `sha256=${createHmac('sha256', GHCR_SECRET).update(body).digest('hex')}`;
        return { ...request, headers: { 'content-type': 'application/json', 'x-github-event': 'package', 'x-hub-signature-256': signature }, body };
      },
    },
  ],
};
