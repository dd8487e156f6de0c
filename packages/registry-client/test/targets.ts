import { registryConfig, requirePeers, startCaptureListener, startRegistry, CAPTURE_ENDPOINT, type CaptureListener } from '@regevents/registry-harness';
import { createMockRegistry, type NodeMockRegistry } from '@regevents/mock-registry/node';
import type { Flavor, MockRegistryOptions } from '@regevents/mock-registry';

/** A registry a test talks to: the real docker-registry or the mock served on a port. */
export interface Target {
  name: string;
  url: string;
  /** `127.0.0.1:PORT`, for skopeo. */
  host: string;
  /** distribution 3.x deletes tags; 2.8 answers 400. */
  deletesTags: boolean;
  stop(): Promise<void>;
}

export interface TargetKind {
  name: string;
  available: boolean;
  deletesTags: boolean;
  start(options?: { auth?: MockRegistryOptions['auth']; realConfig?: (base: { port: number; storageDir: string; debugPort: number }) => Record<string, unknown> }): Promise<Target>;
}

const realPeers = requirePeers('docker-registry');

export const realRegistry: TargetKind = {
  name: 'docker-registry 2.8.2',
  available: realPeers.available,
  deletesTags: false,
  async start(options = {}) {
    const registry = await startRegistry(options.realConfig ? { config: options.realConfig } : {});
    return { name: this.name, url: registry.url, host: registry.host, deletesTags: false, stop: registry.stop };
  },
};

function mockKind(flavor: Flavor): TargetKind {
  return {
    name: `mock ${flavor}`,
    available: true,
    deletesTags: flavor === 'distribution-3',
    async start(options = {}) {
      const registry: NodeMockRegistry = createMockRegistry({ flavor, ...(options.auth ? { auth: options.auth } : {}) });
      const served = await registry.serve();
      return {
        name: this.name,
        url: served.url,
        host: `127.0.0.1:${served.port}`,
        deletesTags: flavor === 'distribution-3',
        stop: async () => {
          registry.close();
          await served.close();
        },
      };
    },
  };
}

export const targetKinds: TargetKind[] = [realRegistry, mockKind('distribution-2.8'), mockKind('distribution-3')];

/** A real registry that posts its notifications to a capture listener. */
export async function startNotifyingRegistry(): Promise<{ target: Target; listener: CaptureListener }> {
  const listener = await startCaptureListener();
  const registry = await startRegistry({ config: (base) => registryConfig({ ...base, notifications: { endpoints: [{ ...CAPTURE_ENDPOINT, url: listener.url }] } }) });
  return {
    listener,
    target: {
      name: 'docker-registry',
      url: registry.url,
      host: registry.host,
      deletesTags: false,
      stop: async () => {
        await registry.stop();
        await listener.close();
      },
    },
  };
}
