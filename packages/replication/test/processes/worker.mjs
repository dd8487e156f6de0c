// A replication worker process: works the lanes of the policies in argv[2] (JSON) on BullMQ at argv[3],
// printing each status change and copy progress as a JSON line.
import { createReplicator } from '../../dist/index.js';
import { createBullMqQueue } from '../../dist/node.js';

const [policiesJson, redisUrl, lockMs] = process.argv.slice(2);
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const replicator = createReplicator({
  policies: JSON.parse(policiesJson),
  queue: createBullMqQueue({ redisUrl, lockMs: Number(lockMs) }),
  status: async (change) => print({ type: 'status', jobId: change.jobId, status: change.status, attempt: change.attempt, willRetry: change.willRetry, error: change.error, at: change.at.toISOString(), pid: process.pid }),
  onProgress: (jobId, progress) => print({ type: 'progress', jobId, ...progress }),
});
await replicator.start({ catchUp: false });
process.on('SIGTERM', () => void replicator.close().then(() => process.exit(0)));
print({ type: 'ready' });
