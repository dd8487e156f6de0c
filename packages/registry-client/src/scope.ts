/** One access a request needs, as token scopes name it (`repository:app:pull,push`). */
export interface Scope {
  type: string;
  name: string;
  actions: string[];
}

export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(',')}`;
}

/** `repository:a:pull repository:b:pull,push` (2.8.2 puts a mount's two scopes in one quoted value). */
export function parseScopes(text: string): Scope[] {
  const scopes: Scope[] = [];
  for (const part of text.split(' ')) {
    const first = part.indexOf(':');
    const last = part.lastIndexOf(':');
    if (first <= 0 || last === first) continue;
    scopes.push({ type: part.slice(0, first), name: part.slice(first + 1, last), actions: part.slice(last + 1).split(',').filter(Boolean) });
  }
  return scopes;
}

/** The union of scopes, one entry per resource with every action asked for, in a stable order (a cache key). */
export function mergeScopes(...lists: Scope[][]): Scope[] {
  const merged = new Map<string, Set<string>>();
  for (const scope of lists.flat()) {
    const key = `${scope.type}:${scope.name}`;
    const actions = merged.get(key) ?? new Set<string>();
    for (const action of scope.actions) actions.add(action);
    merged.set(key, actions);
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, actions]) => {
      const last = key.indexOf(':');
      return { type: key.slice(0, last), name: key.slice(last + 1), actions: [...actions].sort() };
    });
}

const REPOSITORY_PATH = /^\/v2\/(.+)\/(?:manifests|blobs|tags|referrers)\//;

/**
 * What a request needs, read from its method and URL the way the registry decides it: reads
 * pull, writes pull and push, deletes delete, a mount also pulls from its source, and the
 * catalog needs `registry:catalog:*`.
 */
export function scopesFor(method: string, url: URL): Scope[] {
  if (url.pathname === '/v2/_catalog') return [{ type: 'registry', name: 'catalog', actions: ['*'] }];
  const name = REPOSITORY_PATH.exec(url.pathname)?.[1];
  if (!name) return [];
  const actions = method === 'GET' || method === 'HEAD' ? ['pull'] : method === 'DELETE' ? ['delete'] : ['pull', 'push'];
  const scopes: Scope[] = [{ type: 'repository', name, actions }];
  const from = url.searchParams.get('from');
  if (from && url.searchParams.has('mount')) scopes.push({ type: 'repository', name: from, actions: ['pull'] });
  return mergeScopes(scopes);
}
