import { LineCounter } from 'yaml';
import { Decoder, type Decoded, type DecodedOf } from './decode.js';
import { childPath, type DiagnosticList, type Origin } from './diagnostics.js';
import { suggestion } from './did-you-mean.js';
import { NOTIFICATIONS_SHAPE, TOP_LEVEL_KEYS, type Shape } from './schema.js';
import type { RegistryVersion } from './types.js';
import { envIndexesLists } from './versions.js';
import { parseYamlSource } from './yaml-source.js';

/** The parts of the config the environment can change and the linter cares about. */
export interface Overridable {
  notifications: DecodedOf<'struct'> | undefined;
  debugAddr: DecodedOf<'string'> | undefined;
}

const TOP_LEVEL_GO_NAMES = TOP_LEVEL_KEYS.map((key) => key.toUpperCase());
const ENABLED = { key: 'enabled', go: 'Enabled', shape: { kind: 'bool' } } as const;
/** configuration.HTTP.Debug (pprof is 3.x only; 2.8 would ignore it). */
const DEBUG_SHAPE: Shape = {
  kind: 'struct',
  fields: [
    { key: 'addr', go: 'Addr', shape: { kind: 'string' } },
    { key: 'prometheus', go: 'Prometheus', shape: { kind: 'struct', fields: [ENABLED, { key: 'path', go: 'Path', shape: { kind: 'string' } }] } },
    { key: 'pprof', go: 'Pprof', shape: { kind: 'struct', fields: [ENABLED] } },
  ],
};

/**
 * Replays the registry's `REGISTRY_*` overrides (configuration/parser.go): variables sorted by
 * name, split on `_`, each segment matched against an upper-cased Go field name, the value parsed
 * as YAML into that field. Map keys set this way are lower-cased. 3.x also indexes lists
 * (`..._ENDPOINTS_0_URL`, appending at index == length); 2.x silently skips such variables.
 */
export function applyEnvironment(
  state: Overridable,
  env: Record<string, string | undefined>,
  version: RegistryVersion,
  diagnostics: DiagnosticList,
): Overridable {
  const names = Object.keys(env)
    .filter((name) => name.startsWith('REGISTRY_') && env[name] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let { notifications, debugAddr } = state;
  for (const name of names) {
    const payload = env[name] as string;
    const override = new Override(name, payload, version, diagnostics);
    const [section, ...rest] = name.split('_').slice(1) as [string, ...string[]];
    if (section === 'NOTIFICATIONS') {
      const next = override.apply(notifications, NOTIFICATIONS_SHAPE, rest, 'notifications');
      notifications = next?.kind === 'struct' ? next : undefined;
    } else if (section === 'HTTP' && rest[0] === 'DEBUG') {
      const current: DecodedOf<'struct'> | undefined = debugAddr && { kind: 'struct', fields: new Map([['addr', debugAddr]]), origin: debugAddr.origin };
      const debug = override.apply(current, DEBUG_SHAPE, rest.slice(1), 'http.debug');
      const addr = debug?.kind === 'struct' ? debug.fields.get('addr') : undefined;
      debugAddr = addr?.kind === 'string' ? addr : undefined;
    } else if (!TOP_LEVEL_GO_NAMES.includes(section)) {
      override.ignored(`the registry has no setting ${section}${suggestion(section, TOP_LEVEL_GO_NAMES)}`, '');
    }
  }
  return { notifications, debugAddr };
}

/** One environment variable being applied. */
class Override {
  constructor(
    private readonly name: string,
    private readonly payload: string,
    private readonly version: RegistryVersion,
    private readonly diagnostics: DiagnosticList,
  ) {}

  private at(path: string): Origin {
    return { source: { env: this.name, lineCounter: new LineCounter() }, offset: 0, path };
  }

  ignored(why: string, path: string): void {
    this.diagnostics.add('ignored-env', `${this.name} is ignored: ${why}`, this.at(path));
  }

  /** The new value for a slot of type `shape` currently holding `current`. */
  apply(current: Decoded | undefined, shape: Shape, path: readonly string[], configPath: string): Decoded | undefined {
    const [segment, ...rest] = path;
    if (segment === undefined) return this.decodePayload(shape, configPath, current);
    switch (shape.kind) {
      case 'struct': {
        const field = shape.fields.find((candidate) => candidate.go.toUpperCase() === segment);
        if (!field) {
          const byYamlKey = shape.fields.find((candidate) => candidate.key.toUpperCase() === segment);
          const hint = byYamlKey
            ? ` (environment variables use Go field names: did you mean ${byYamlKey.go.toUpperCase()}?)`
            : suggestion(segment, shape.fields.map((candidate) => candidate.go.toUpperCase()));
          this.ignored(`${configPath} has no field ${segment}${hint}`, configPath);
          return current;
        }
        const struct: DecodedOf<'struct'> = current?.kind === 'struct' ? current : { kind: 'struct', fields: new Map(), origin: this.at(configPath) };
        const next = this.apply(struct.fields.get(field.key), field.shape, rest, childPath(configPath, field.key));
        if (next) struct.fields.set(field.key, next);
        else struct.fields.delete(field.key);
        return struct;
      }
      case 'list': {
        if (!envIndexesLists(this.version)) {
          this.ignored(`registry 2.x cannot address list items; set ${this.name.slice(0, this.name.length - path.join('_').length - 1)} to the whole list as YAML`, configPath);
          return current;
        }
        const items = current?.kind === 'list' ? current.items : [];
        const index = /^\d+$/.test(segment) ? Number(segment) : NaN;
        if (Number.isNaN(index) || index > items.length) {
          const why = Number.isNaN(index) ? `"${segment}" is not a list index` : `index ${index} skips past the end of the list (${items.length} items)`;
          this.diagnostics.add('invalid-env', `${this.name}: ${why}; the registry refuses to start`, this.at(configPath));
          return current;
        }
        const list: DecodedOf<'list'> = current?.kind === 'list' ? current : { kind: 'list', items, origin: this.at(configPath) };
        const itemPath = childPath(configPath, index);
        const next = this.apply(list.items[index], shape.of, rest, itemPath);
        list.items[index] = next ?? { kind: 'struct', fields: new Map(), origin: this.at(itemPath) };
        return list;
      }
      case 'map': {
        const map: DecodedOf<'map'> = current?.kind === 'map' ? current : { kind: 'map', entries: new Map(), origin: this.at(configPath) };
        const existing = rest.length > 0 ? [...map.entries.keys()].find((key) => key.toUpperCase() === segment) : undefined;
        const key = existing ?? segment.toLowerCase();
        const next = this.apply(map.entries.get(key), shape.of, rest, childPath(configPath, key));
        if (next) map.entries.set(key, next);
        else map.entries.delete(key);
        return map;
      }
      default:
        this.ignored(`${configPath} is a single value with no field ${segment}`, configPath);
        return current;
    }
  }

  private decodePayload(shape: Shape, configPath: string, current: Decoded | undefined): Decoded | undefined {
    const source = parseYamlSource(this.payload, this.name, this.diagnostics);
    if (!source) return current;
    return new Decoder(source, this.diagnostics).decode(source.doc.contents, shape, configPath);
  }
}
