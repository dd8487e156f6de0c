// One consumer of a group as its own process, for tests that kill it:
// node consumer.mjs REDIS_URL GROUP PARTITIONS OUT_FILE POISONED_REPOSITORY
// Each successful handling appends one line {pid, id, repository, at} to OUT_FILE, synchronously.
import { appendFileSync } from 'node:fs';
import { createRedisLog, createRelay } from '../../dist/index.js';
import { connect } from './connect.mjs';

const [url, group, partitions, out, poisoned] = process.argv.slice(2);
const client = await connect(url);
const relay = createRelay({ log: createRedisLog({ client, partitions: Number(partitions) }), auth: { unauthenticated: true } });
const consumer = relay.consumer(group, { concurrency: 2, maxAttempts: 3, retryDelay: 1_000, leaseMs: 1_500, pollMs: 20 });
consumer.onError(() => undefined);
consumer.onAny(async (event) => {
  const repository = event.target?.repository;
  if (repository === poisoned) throw new Error(`${poisoned} always fails`);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  appendFileSync(out, `${JSON.stringify({ pid: process.pid, id: event.id, repository, at: Date.now() })}\n`);
});
await consumer.start();
console.log('ready');
process.on('SIGTERM', () => {
  void consumer.stop().then(() => process.exit(0));
});
