import type { RegistryVersion } from '@regevents/config';

/** Which registry the mock imitates. */
export type Flavor = 'distribution-2.8' | 'distribution-3' | 'oci-1.1';

/**
 * Where the imitated registries differ, in one place per route kind; everything not listed here
 * they answer alike. Each entry is traced to the registry's behaviour (2.8.2 observed, 3.x from
 * its source at v3.1.1, OCI 1.1 from the distribution spec).
 */
export interface FlavorBehaviour {
  /** 1: distribution 2.x events (v1+json, UUIDv4 ids, empty fields omitted); 2: 3.x (v2+json, UUIDv7). */
  events: 1 | 2;
  /** The `@regevents/config` version whose endpoint filters (and their bugs) apply. */
  config: RegistryVersion;
  /** The Content-Type of JSON answers (errors, `/v2/`, catalog, tags): 2.8 adds `charset=utf-8`, 3.x does not. */
  json: string;
  catalog: {
    /** An `n` that is not a number, or negative, is 400 PAGINATION_NUMBER_INVALID (3.x); 2.8 ignores it. */
    rejectBadN: boolean;
  };
  tags: {
    /** `n`, `last` and `Link` (3.x, OCI); 2.8 lists everything and ignores them. */
    paginated: boolean;
  };
  manifests: {
    /** `DELETE /manifests/<tag>` removes the tag (3.x, OCI); 2.8 parses the tag as a digest and fails. */
    deleteByTag: boolean;
    /** `OCI-Subject` on a PUT whose manifest has a `subject` (OCI 1.1 registries with a referrers API). */
    ociSubject: boolean;
  };
  /** The OCI 1.1 referrers API; without it the route is an unknown one (404 text/plain). */
  referrers: boolean;
  uploads: {
    /** `POST ?digest=` with a body stores the blob (OCI); distribution starts an upload and ignores the body. */
    monolithicPost: boolean;
    /** A PATCH whose `Content-Range` does not start at the offset is 416 (3.x, OCI); 2.8 appends it. */
    checkContentRange: boolean;
    /**
     * A `_state` whose offset is stale: 2.8 answers 404 BLOB_UPLOAD_INVALID, 3.x 416 RANGE_INVALID;
     * spec-complete registries (zot) keep no client-side state and answer with the session's own offset.
     */
    staleState: 'BLOB_UPLOAD_INVALID' | 'RANGE_INVALID' | 'ignored';
  };
}

const DISTRIBUTION_3: FlavorBehaviour = {
  events: 2,
  config: '3.1',
  json: 'application/json',
  catalog: { rejectBadN: true },
  tags: { paginated: true },
  manifests: { deleteByTag: true, ociSubject: false },
  referrers: false,
  uploads: { monolithicPost: false, checkContentRange: true, staleState: 'RANGE_INVALID' },
};

export const FLAVORS: Readonly<Record<Flavor, FlavorBehaviour>> = {
  'distribution-2.8': {
    events: 1,
    config: '2.8',
    json: 'application/json; charset=utf-8',
    catalog: { rejectBadN: false },
    tags: { paginated: false },
    manifests: { deleteByTag: false, ociSubject: false },
    referrers: false,
    uploads: { monolithicPost: false, checkContentRange: false, staleState: 'BLOB_UPLOAD_INVALID' },
  },
  'distribution-3': DISTRIBUTION_3,
  // what spec-complete registries add to 3.x's answers; their events are 3.x's
  'oci-1.1': {
    ...DISTRIBUTION_3,
    manifests: { deleteByTag: true, ociSubject: true },
    referrers: true,
    uploads: { monolithicPost: true, checkContentRange: true, staleState: 'ignored' },
  },
};

export function behaviourOf(flavor: Flavor): FlavorBehaviour {
  const behaviour = Object.hasOwn(FLAVORS, flavor) ? FLAVORS[flavor] : undefined;
  if (!behaviour) throw new TypeError(`flavor must be one of ${Object.keys(FLAVORS).join(', ')}, not ${JSON.stringify(flavor)}`);
  return behaviour;
}
