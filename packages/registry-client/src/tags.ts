import type { ClientContext } from './context.js';
import { listNames, type ListOptions } from './paging.js';
import { assertRepository } from './reference.js';
import { RegistryError } from './errors.js';

/** Every tag of a repository (2.8.2 sends them all at once, unsorted; a repository with none gives none). */
export function listTags(context: ClientContext, repository: string, options: ListOptions = {}): AsyncGenerator<string> {
  assertRepository(repository);
  return listNames(context, `/v2/${repository}/tags/list`, 'tags', options);
}

/**
 * Every tag of a repository as an array. A repository that is gone, or whose manifests were only
 * ever pushed by digest, answers 404 NAME_UNKNOWN on 2.8.2: it has no tags, which is what
 * reconciliation, catch-up and clean-up need to hear, so that answer is an empty list.
 */
export async function collectTags(client: { tags(repository: string, options?: ListOptions): AsyncIterable<string> }, repository: string, options: ListOptions = {}): Promise<string[]> {
  const tags: string[] = [];
  try {
    for await (const tag of client.tags(repository, options)) tags.push(tag);
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return [];
    throw error;
  }
  return tags;
}
