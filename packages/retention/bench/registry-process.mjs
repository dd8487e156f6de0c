// The mock registry of bench/workload.mjs in a process of its own: pushes the workload given as
// JSON in argv[2], sends every event to the parent over IPC (`repositoryDone` after each
// repository's), then the URL it serves; serves until killed, answering `cpu` messages with the
// CPU time it has used (ms).
import { createMockRegistry } from '@regevents/mock-registry/node';
import { NOTIFICATIONS, pushWorkload } from './workload.mjs';

const send = (message) => new Promise((resolve, reject) => process.send(message, (error) => (error ? reject(error) : resolve())));
let last = Promise.resolve();
const registry = createMockRegistry({ notifications: NOTIFICATIONS, observer: { onEvent: (recorded) => void (last = send({ event: recorded.event })) } });
const server = await registry.serve();
// waiting for each repository's last event to leave bounds what queues in this process
await pushWorkload(registry, JSON.parse(process.argv[2]), () => last.then(() => send({ repositoryDone: true })));
await send({ url: server.url });
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    void send({ cpuMs: (user + system) / 1000 });
  }
});
process.on('disconnect', () => process.exit(0));
