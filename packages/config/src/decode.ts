import { isAlias, isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { childPath, type DiagnosticList, type Origin, type YamlSource } from './diagnostics.js';
import { suggestion } from './did-you-mean.js';
import { GoDurationError, parseGoDuration } from './go-duration.js';
import { resolvePlainScalar, type GoYamlScalar } from './go-yaml.js';
import type { Shape } from './schema.js';

/**
 * A value decoded the way go-yaml v2 decodes it into the registry's structs, remembering where it
 * came from so later rules can point at it. Absent fields and YAML nulls are simply missing: Go
 * leaves the zero value there.
 */
export type Decoded =
  | { kind: 'string'; value: string; origin: Origin }
  | { kind: 'bool'; value: boolean; origin: Origin }
  | { kind: 'int'; value: number; origin: Origin }
  | { kind: 'duration'; nanoseconds: bigint; writtenAsNumber: boolean; origin: Origin }
  | { kind: 'list'; items: Decoded[]; origin: Origin }
  | { kind: 'map'; entries: Map<string, Decoded>; origin: Origin }
  | { kind: 'struct'; fields: Map<string, Decoded>; origin: Origin };

export type DecodedOf<K extends Decoded['kind']> = Extract<Decoded, { kind: K }>;

const MAX_INT64 = (1n << 63n) - 1n;
/** Merge keys may chain through aliases; a bound keeps a self-referencing chain finite. */
const MAX_MERGE_DEPTH = 32;

interface KeyedValue {
  key: string;
  keyOrigin: Origin;
  value: unknown;
  merged: boolean;
}

export class Decoder {
  constructor(
    private readonly source: YamlSource,
    private readonly diagnostics: DiagnosticList,
  ) {}

  origin(node: unknown, path: string): Origin {
    const range = (node as Partial<Node> | null | undefined)?.range;
    return { source: this.source, offset: range?.[0] ?? 0, path };
  }

  /** The node an alias points at (aliases are legal anywhere go-yaml accepts them). */
  resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.source.doc) : node;
  }

  /** Decodes `node` into `shape`; undefined means Go's zero value (absent, null, or rejected). */
  decode(node: unknown, shape: Shape, path: string): Decoded | undefined {
    const at = this.origin(node, path);
    const target = this.resolve(node);
    if (target === null || target === undefined) return undefined;
    if (isScalar(target) && scalarOf(target).kind === 'null') return undefined;
    switch (shape.kind) {
      case 'string':
      case 'bool':
      case 'int':
      case 'duration':
        return this.decodeScalar(target, shape.kind, at);
      case 'list': {
        if (!isSeq(target)) {
          if (shape.notList === 'header-not-list') {
            this.diagnostics.add('header-not-list', `header values must be a list, e.g. [${describe(target)}]: the registry refuses to start`, at);
            return undefined;
          }
          return this.reject(at, 'a list', target);
        }
        const items = target.items.map((item, index) => this.decode(item, shape.of, childPath(path, index)) ?? zeroValue(shape.of, this.origin(item, childPath(path, index))));
        return { kind: 'list', items, origin: at };
      }
      case 'map':
      case 'struct': {
        if (!isMap(target)) return this.reject(at, shape.kind === 'map' ? 'a mapping' : 'a mapping of settings', target);
        return shape.kind === 'map' ? this.decodeMap(target, shape.of, at) : this.decodeStruct(target, shape, at);
      }
    }
  }

  /** The key/value pairs of a mapping with `<<` merge keys expanded in place, as go-yaml does. */
  entries(map: YAMLMap, path: string, depth = 0): KeyedValue[] {
    const result: KeyedValue[] = [];
    for (const pair of map.items) {
      const key = this.resolve(pair.key);
      const keyOrigin = this.origin(pair.key, path);
      if (isScalar(key) && typeof key.value === 'symbol') {
        for (const source of this.mergeSources(pair.value)) {
          if (depth >= MAX_MERGE_DEPTH) {
            this.diagnostics.add('excessive-aliasing', `merge keys nest deeper than ${MAX_MERGE_DEPTH} levels`, keyOrigin);
            break;
          }
          for (const entry of this.entries(source, path, depth + 1)) result.push({ ...entry, merged: true });
        }
        continue;
      }
      if (!isScalar(key)) {
        this.diagnostics.add('invalid-type', 'a mapping key must be a plain value, not a list or mapping', keyOrigin);
        continue;
      }
      result.push({ key: scalarText(key), keyOrigin: this.origin(pair.key, childPath(path, scalarText(key))), value: pair.value, merged: false });
    }
    return result;
  }

  private mergeSources(value: unknown): YAMLMap[] {
    const target = this.resolve(value);
    if (isMap(target)) return [target];
    if (isSeq(target)) return target.items.map((item) => this.resolve(item)).filter((item): item is YAMLMap => isMap(item));
    return [];
  }

  private decodeMap(map: YAMLMap, of: Shape, at: Origin): Decoded {
    const entries = new Map<string, Decoded>();
    for (const entry of this.uniqueEntries(map, at.path)) {
      const decoded = this.decode(entry.value, of, entry.keyOrigin.path);
      if (decoded) entries.set(entry.key, decoded);
      else entries.delete(entry.key);
    }
    return { kind: 'map', entries, origin: at };
  }

  private decodeStruct(map: YAMLMap, shape: Extract<Shape, { kind: 'struct' }>, at: Origin): Decoded {
    const fields = new Map<string, Decoded>();
    const keys = shape.fields.map((field) => field.key);
    for (const entry of this.uniqueEntries(map, at.path)) {
      const field = shape.fields.find((candidate) => candidate.key === entry.key);
      if (!field) {
        if (!entry.merged) this.diagnostics.add('unknown-key', `unknown key "${entry.key}": the registry ignores it${suggestion(entry.key, keys)}`, entry.keyOrigin);
        continue;
      }
      const decoded = this.decode(entry.value, field.shape, entry.keyOrigin.path);
      if (decoded) fields.set(field.key, decoded);
      else fields.delete(field.key);
    }
    return { kind: 'struct', fields, origin: at };
  }

  /** Entries in order; a key written twice keeps its last value, as the registry does, with a warning. */
  uniqueEntries(map: YAMLMap, path: string): KeyedValue[] {
    const entries = this.entries(map, path);
    const seen = new Set<string>();
    for (const entry of entries) {
      if (entry.merged) continue;
      if (seen.has(entry.key)) this.diagnostics.add('duplicate-key', `"${entry.key}" is set twice; the registry keeps the last value`, entry.keyOrigin);
      seen.add(entry.key);
    }
    return entries;
  }

  private decodeScalar(node: unknown, kind: 'string' | 'bool' | 'int' | 'duration', at: Origin): Decoded | undefined {
    if (!isScalar(node)) return this.reject(at, expected[kind], node);
    const scalar = scalarOf(node);
    const text = scalarText(node);
    switch (kind) {
      case 'string':
        // go-yaml hands a string field the scalar's text whatever it resolved to (`name: yes` is "yes")
        return { kind: 'string', value: text, origin: at };
      case 'bool':
        return scalar.kind === 'bool' ? { kind: 'bool', value: scalar.value, origin: at } : this.reject(at, expected.bool, node);
      case 'int': {
        const integer = integerOf(scalar);
        return integer === undefined ? this.reject(at, expected.int, node) : { kind: 'int', value: Number(integer), origin: at };
      }
      case 'duration': {
        if (scalar.kind === 'string') {
          try {
            return { kind: 'duration', nanoseconds: parseGoDuration(text), writtenAsNumber: false, origin: at };
          } catch (error) {
            if (!(error instanceof GoDurationError)) throw error;
            const hint = error.reason === 'missing-unit' ? '; a quoted number is not read as nanoseconds, add a unit such as ms or s' : '';
            this.diagnostics.add('invalid-duration', `${error.message}: the registry refuses to start${hint}`, at);
            return undefined;
          }
        }
        const integer = integerOf(scalar);
        if (integer === undefined) return this.reject(at, expected.duration, node);
        return { kind: 'duration', nanoseconds: integer, writtenAsNumber: true, origin: at };
      }
    }
  }

  private reject(at: Origin, what: string, node: unknown): undefined {
    this.diagnostics.add('invalid-type', `expected ${what}, got ${describe(node)}: the registry refuses to start`, at);
    return undefined;
  }
}

const expected = {
  string: 'a string',
  bool: 'a boolean (true or false)',
  int: 'an integer',
  duration: 'a duration such as 500ms or 1s',
} as const;

/** go-yaml puts ints and (truncated) floats into Go integer fields; out-of-range values fail. */
function integerOf(scalar: GoYamlScalar): bigint | undefined {
  let value: bigint | undefined;
  if (scalar.kind === 'int') value = scalar.value;
  else if (scalar.kind === 'float' && Number.isFinite(scalar.value)) value = BigInt(Math.trunc(scalar.value));
  return value !== undefined && value <= MAX_INT64 && value >= -MAX_INT64 - 1n ? value : undefined;
}

export function scalarOf(node: Scalar): GoYamlScalar {
  if (node.type === 'PLAIN' && node.tag === undefined) return resolvePlainScalar(scalarText(node));
  return { kind: 'string', value: scalarText(node) };
}

/** The scalar's text: what was written for plain scalars, the unescaped value for quoted ones. */
export function scalarText(node: Scalar): string {
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
  return typeof node.value === 'symbol' ? '<<' : String(node.value ?? '');
}

function describe(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) {
    const text = scalarText(node);
    return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  }
  return 'nothing';
}

/** Go's zero value for a list element that was null. */
function zeroValue(shape: Shape, origin: Origin): Decoded {
  switch (shape.kind) {
    case 'string':
      return { kind: 'string', value: '', origin };
    case 'bool':
      return { kind: 'bool', value: false, origin };
    case 'int':
      return { kind: 'int', value: 0, origin };
    case 'duration':
      return { kind: 'duration', nanoseconds: 0n, writtenAsNumber: true, origin };
    case 'list':
      return { kind: 'list', items: [], origin };
    case 'map':
      return { kind: 'map', entries: new Map(), origin };
    case 'struct':
      return { kind: 'struct', fields: new Map(), origin };
  }
}
