import { isMap, isScalar, LineCounter } from 'yaml';
import { Decoder, scalarOf, scalarText, type DecodedOf } from './decode.js';
import { DiagnosticList, type Origin } from './diagnostics.js';
import { suggestion } from './did-you-mean.js';
import { buildNotifications } from './endpoints.js';
import { applyEnvironment, type Overridable } from './env.js';
import { NOTIFICATIONS_SHAPE, TOP_LEVEL_KEYS } from './schema.js';
import type { ParsedRegistryConfig, ParseRegistryConfigOptions } from './types.js';
import { DEFAULT_VERSION } from './versions.js';
import { parseYamlSource } from './yaml-source.js';

export const DEFAULT_MAX_BYTES = 1024 * 1024;

export function exceedsBytes(text: string, maxBytes: number): boolean {
  // a UTF-16 code unit takes one to three UTF-8 bytes, so only texts in between need encoding
  if (text.length * 3 <= maxBytes) return false;
  if (text.length > maxBytes) return true;
  return new TextEncoder().encode(text).length > maxBytes;
}

/** Reads `http.debug.addr` from a whole config (the rest of `http` is not our business). */
function debugAddrOf(decoder: Decoder, http: unknown): DecodedOf<'string'> | undefined {
  const httpMap = decoder.resolve(http);
  if (!isMap(httpMap)) return undefined;
  const debug = decoder.entries(httpMap, 'http').findLast((entry) => entry.key === 'debug');
  const debugMap = decoder.resolve(debug?.value);
  if (!isMap(debugMap)) return undefined;
  const addr = decoder.entries(debugMap, 'http.debug').findLast((entry) => entry.key === 'addr');
  const decoded = addr && decoder.decode(addr.value, { kind: 'string' }, 'http.debug.addr');
  return decoded?.kind === 'string' ? decoded : undefined;
}

/**
 * Parses a registry config.yml, or just its `notifications:` block, the way the registry reads
 * it (go-yaml v2, Go durations, `REGISTRY_*` overrides), applies the registry's defaults and
 * reports what the registry would refuse (errors) or silently get wrong (warnings). Never throws
 * on bad input: everything is a diagnostic.
 */
export function parseRegistryConfig(yamlText: string, options: ParseRegistryConfigOptions = {}): ParsedRegistryConfig {
  const version = options.version ?? DEFAULT_VERSION;
  const diagnostics = new DiagnosticList();
  let state: Overridable = { notifications: undefined, debugAddr: undefined };
  const root = readRoot(yamlText, options.maxBytes ?? DEFAULT_MAX_BYTES, diagnostics);
  if (root) state = root.state;
  if (options.env) state = applyEnvironment(state, options.env, version, diagnostics);
  const notifications = buildNotifications(state.notifications, { version, diagnostics, debugAddr: state.debugAddr });
  if (!state.notifications && root) diagnostics.add('no-endpoints', 'there is no notifications section: the registry sends no notifications', root.at);
  const sorted = diagnostics.sorted();
  return { notifications, diagnostics: sorted, errors: sorted.filter((diagnostic) => diagnostic.severity === 'error') };
}

function readRoot(yamlText: string, maxBytes: number, diagnostics: DiagnosticList): { state: Overridable; at: Origin } | undefined {
  if (exceedsBytes(yamlText, maxBytes)) {
    const at = { source: { lineCounter: new LineCounter() }, offset: 0, path: '' };
    diagnostics.add('input-too-large', `the config is larger than ${maxBytes} bytes; a registry config is a few kilobytes (raise maxBytes to read it)`, at);
    return undefined;
  }
  const source = parseYamlSource(yamlText, undefined, diagnostics);
  if (!source) return undefined;
  const decoder = new Decoder(source, diagnostics);
  const rootNode = decoder.resolve(source.doc.contents);
  const at = decoder.origin(rootNode, '');
  const state: Overridable = { notifications: undefined, debugAddr: undefined };
  if (rootNode === null || rootNode === undefined || (isScalar(rootNode) && scalarOf(rootNode).kind === 'null')) return { state, at };
  if (!isMap(rootNode)) {
    diagnostics.add('invalid-type', 'a registry config is a mapping (version:, storage:, notifications: ...): the registry refuses to start', at);
    return undefined;
  }

  const entries = decoder.uniqueEntries(rootNode, '');
  for (const entry of entries) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(entry.key)) {
      diagnostics.add('unknown-key', `unknown section "${entry.key}": the registry ignores it${suggestion(entry.key, TOP_LEVEL_KEYS)}`, entry.keyOrigin);
    }
  }
  const last = (key: string) => entries.findLast((entry) => entry.key === key);
  const notifications = last('notifications');
  const decoded = notifications && decoder.decode(notifications.value, NOTIFICATIONS_SHAPE, 'notifications');
  state.notifications = decoded?.kind === 'struct' ? decoded : undefined;
  state.debugAddr = debugAddrOf(decoder, last('http')?.value);

  const versionEntry = last('version');
  const versionNode = decoder.resolve(versionEntry?.value);
  if (versionEntry) {
    const text = isScalar(versionNode) ? scalarText(versionNode) : '';
    if (text !== '0.1') diagnostics.add('unsupported-config-version', `version "${text}" is not supported: the registry only reads version: 0.1`, decoder.origin(versionEntry.value, 'version'));
  } else if (entries.some((entry) => entry.key !== 'notifications')) {
    diagnostics.add('missing-config-version', 'a whole config.yml needs version: 0.1, or the registry refuses to start', at);
  }
  return { state, at };
}
