import type { ClientContext } from './context.js';
import { listNames, type ListOptions } from './paging.js';

/** Every repository of the registry (2.8.2 lists blob-only repositories too). */
export function listRepositories(context: ClientContext, options: ListOptions = {}): AsyncGenerator<string> {
  return listNames(context, '/v2/_catalog', 'repositories', options);
}
