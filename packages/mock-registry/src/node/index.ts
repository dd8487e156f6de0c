import { nodeSha256 } from '@regevents/registry-client/node';
import { createMockRegistry as createRegistry, type MockRegistry, type MockRegistryOptions } from '../registry.js';
import { serve, type ServeOptions, type ServedRegistry } from './serve.js';

export { serve, type ServeOptions, type ServedRegistry, type ServedRequest } from './serve.js';
export { FileSystemStorage } from './fs-storage.js';

/** A mock registry that can also listen on a real port (Node only). */
export interface NodeMockRegistry extends MockRegistry {
  /** Serves the same handlers on node:http; `port: 0` (default) picks a free port. */
  serve(options?: ServeOptions): Promise<ServedRegistry>;
}

export { nodeSha256 } from '@regevents/registry-client/node';

/** `createMockRegistry` from the main entry with node:crypto hashing, plus `registry.serve({ port, host })`. */
export function createMockRegistry(options: MockRegistryOptions = {}): NodeMockRegistry {
  const registry = createRegistry({ sha256: nodeSha256, ...options });
  return Object.assign(registry, { serve: (serveOptions?: ServeOptions) => serve(registry, serveOptions) });
}
