/**
 * The registry's Go structs for `notifications:` (configuration.Notifications, identical in 2.8
 * and 3.x): YAML keys for the file, Go field names for environment overrides, which use the
 * upper-cased Go names (`EVENTCONFIG`, not `EVENTS`).
 */
export type Shape =
  | { kind: 'string' | 'bool' | 'int' | 'duration' }
  /** `notList` replaces `invalid-type` when a scalar or mapping stands where the list belongs. */
  | { kind: 'list'; of: Shape; notList?: 'header-not-list' }
  | { kind: 'map'; of: Shape }
  | { kind: 'struct'; fields: readonly FieldShape[] };

export interface FieldShape {
  /** The `yaml:"..."` tag. */
  key: string;
  /** The Go field name. */
  go: string;
  shape: Shape;
}

const STRING = { kind: 'string' } as const;
const STRINGS = { kind: 'list', of: STRING } as const;
const DURATION = { kind: 'duration' } as const;

export const ENDPOINT_SHAPE: Shape = {
  kind: 'struct',
  fields: [
    { key: 'name', go: 'Name', shape: STRING },
    { key: 'disabled', go: 'Disabled', shape: { kind: 'bool' } },
    { key: 'url', go: 'URL', shape: STRING },
    // net/http.Header is map[string][]string
    { key: 'headers', go: 'Headers', shape: { kind: 'map', of: { ...STRINGS, notList: 'header-not-list' } } },
    { key: 'timeout', go: 'Timeout', shape: DURATION },
    { key: 'threshold', go: 'Threshold', shape: { kind: 'int' } },
    { key: 'backoff', go: 'Backoff', shape: DURATION },
    { key: 'ignoredmediatypes', go: 'IgnoredMediaTypes', shape: STRINGS },
    {
      key: 'ignore',
      go: 'Ignore',
      shape: {
        kind: 'struct',
        fields: [
          { key: 'mediatypes', go: 'MediaTypes', shape: STRINGS },
          { key: 'actions', go: 'Actions', shape: STRINGS },
        ],
      },
    },
  ],
};

export const NOTIFICATIONS_SHAPE: Shape = {
  kind: 'struct',
  fields: [
    {
      key: 'events',
      go: 'EventConfig',
      shape: { kind: 'struct', fields: [{ key: 'includereferences', go: 'IncludeReferences', shape: { kind: 'bool' } }] },
    },
    { key: 'endpoints', go: 'Endpoints', shape: { kind: 'list', of: ENDPOINT_SHAPE } },
  ],
};

/** Top-level keys of a whole config.yml (2.8 and 3.x), for did-you-mean on misspelt sections. */
export const TOP_LEVEL_KEYS = [
  'version',
  'log',
  'loglevel',
  'storage',
  'auth',
  'middleware',
  'reporting',
  'http',
  'notifications',
  'redis',
  'health',
  'proxy',
  'compatibility',
  'validation',
  'policy',
  'catalog',
  'tracing',
] as const;
