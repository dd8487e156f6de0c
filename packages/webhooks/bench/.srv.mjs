import { createServer } from 'node:http';
import { createWebhookHandler } from '../dist/index.js';
const mode = process.argv[2];
const hooks = createWebhookHandler({ auth: { bearer: 'tok' }, dedupe: false }).on('push', () => {});
const bare = (req, res) => { const c = []; req.on('data', (x) => c.push(x)); req.on('end', () => { JSON.parse(Buffer.concat(c).toString()); res.writeHead(200).end(); }); };
const server = createServer(mode === 'bare' ? bare : hooks.node); server.listen(40123, '127.0.0.1');
setTimeout(() => { server.close(); server.closeAllConnections(); }, 5000);
