import fc from 'fast-check';

/** Replace (or, when `replacement` is undefined, remove) the `pick`-th value of a document, counted depth first. */
export interface Mutation {
  pick: number;
  replacement: unknown;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  replacement: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constant(undefined),
    fc.string(),
    fc.integer(),
    fc.constantFrom('', 'sha256:', 'a'.repeat(300), '__proto__', -1, 1.5, 1e308, 'Library/X'),
  ),
});

/** A mutated copy of `document`: one value somewhere inside it is replaced, retyped or removed. */
export function mutate(document: unknown, { pick, replacement }: Mutation): unknown {
  const copy = structuredClone(document);
  const slots: [Record<string, unknown>, string][] = [];
  const collect = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      slots.push([node as Record<string, unknown>, key]);
      collect((node as Record<string, unknown>)[key]);
    }
  };
  collect(copy);
  const slot = slots[pick % Math.max(slots.length, 1)];
  if (!slot) return copy;
  const [parent, key] = slot;
  if (replacement === undefined) delete parent[key];
  else parent[key] = replacement;
  return copy;
}
