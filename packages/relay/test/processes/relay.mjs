// The relay's receiver as its own process, for tests that kill it: node relay.mjs REDIS_URL PORT TOKEN PARTITIONS
import http from 'node:http';
import { createRedisLog, createRelay } from '../../dist/index.js';
import { connect } from './connect.mjs';

const [url, port, token, partitions] = process.argv.slice(2);
const client = await connect(url);
const relay = createRelay({ log: createRedisLog({ client, partitions: Number(partitions) }), auth: { bearer: token } });
relay.onError(() => undefined);
http.createServer(relay.node).listen(Number(port), '127.0.0.1', () => console.log('ready'));
