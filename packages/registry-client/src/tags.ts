import type { ClientContext } from './context.js';
import { listNames, type ListOptions } from './paging.js';
import { assertRepository } from './reference.js';

/** Every tag of a repository (2.8.2 sends them all at once, unsorted; a repository with none gives none). */
export function listTags(context: ClientContext, repository: string, options: ListOptions = {}): AsyncGenerator<string> {
  assertRepository(repository);
  return listNames(context, `/v2/${repository}/tags/list`, 'tags', options);
}
