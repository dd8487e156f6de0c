import { isAlias, isCollection, isPair, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { DiagnosticList, YamlSource } from './diagnostics.js';

/** Enough to show that the text is broken; binary garbage would otherwise yield thousands. */
const MAX_SYNTAX_ERRORS = 10;

/**
 * go-yaml v2's guard against alias bombs ("document contains excessive aliasing"): once more than
 * 100 decoded nodes came from aliases and more than 1000 were decoded, the share decoded through
 * aliases may not exceed 99% (up to 400k nodes), falling linearly to 10% (at 4M nodes).
 */
function allowedAliasRatio(decoded: number): number {
  if (decoded <= 400_000) return 0.99;
  if (decoded >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decoded - 400_000) / 3_600_000);
}

type AliasVerdict = { ok: true } | { ok: false; reason: string; node: Node };

/**
 * Replays the registry's alias accounting without expanding anything: expanded sizes are memoised
 * per anchored node, so the check is linear in the document even for a billion-laughs bomb. The
 * ratio only rises during an expansion and both thresholds only grow, so checking at the end of
 * each top-level expansion sees the worst moment Go's per-node check would.
 */
function checkAliasing(doc: Document.Parsed): AliasVerdict {
  const expandedSize = new Map<Node, number>();
  const expanding = new Set<Node>();
  const sizeOf = (node: unknown): number => {
    if (isPair(node)) return sizeOf(node.key) + sizeOf(node.value);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return 0;
      if (expanding.has(target)) throw Object.assign(new Error(`anchor "${node.source}" contains itself`), { node });
      return sizeOf(target);
    }
    if (!isCollection(node)) return node ? 1 : 0;
    const known = expandedSize.get(node);
    if (known !== undefined) return known;
    expanding.add(node);
    let size = 1;
    for (const item of node.items) size += sizeOf(item);
    expanding.delete(node);
    expandedSize.set(node, size);
    return size;
  };

  let decoded = 0;
  let aliased = 0;
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isPair(node)) {
      pending.push(node.value, node.key);
    } else if (isAlias(node)) {
      let size: number;
      try {
        size = sizeOf(node);
      } catch (error) {
        const reason = error instanceof RangeError ? 'aliases nest too deeply' : (error as Error).message;
        return { ok: false, reason, node };
      }
      decoded += size;
      aliased += size;
      if (aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded)) {
        return { ok: false, reason: `the aliases expand to ${aliased} nodes`, node };
      }
    } else if (node) {
      decoded += 1;
      if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    }
  }
  return { ok: true };
}

/**
 * Parses YAML the way the registry reads it (YAML 1.1, duplicate keys allowed, aliases bounded).
 * Returns undefined after reporting when the text is not usable.
 */
export function parseYamlSource(text: string, env: string | undefined, diagnostics: DiagnosticList): YamlSource | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: '1.1', uniqueKeys: false, prettyErrors: false });
  const source: YamlSource = env === undefined ? { doc, lineCounter } : { doc, lineCounter, env };
  // go-yaml's Unmarshal reads the first document and never looks further (checked on 2.8.2)
  const laterDocuments = doc.errors.find((error) => error.code === 'MULTIPLE_DOCS');
  if (laterDocuments) {
    diagnostics.add('multiple-documents', 'the registry reads only the first YAML document; everything after this --- is ignored', { source, offset: laterDocuments.pos[0], path: '' });
  }
  const errors = doc.errors.filter((error) => error !== laterDocuments);
  if (errors.length > 0) {
    for (const error of errors.slice(0, MAX_SYNTAX_ERRORS)) {
      const resourceExhausted = error.code === 'RESOURCE_EXHAUSTION';
      const message = resourceExhausted ? 'the YAML nests too deeply to read' : (error.message.split('\n')[0] ?? error.message);
      diagnostics.add('yaml-syntax', `${message}: the registry refuses to start`, { source, offset: error.pos[0], path: '' });
    }
    return undefined;
  }
  const aliasing = checkAliasing(doc);
  if (!aliasing.ok) {
    const offset = aliasing.node.range?.[0] ?? 0;
    diagnostics.add('excessive-aliasing', `excessive aliasing: ${aliasing.reason}; the registry refuses to start`, { source, offset, path: '' });
    return undefined;
  }
  return source;
}
