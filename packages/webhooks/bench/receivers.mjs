// The servers under test, in their own process: the load generator (the parent, autocannon) then
// takes no CPU from them, and each round's process CPU time tells what one request costs a server.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';
import { createWebhookHandler } from '../dist/index.js';
import { GHCR_SECRET, OCTOKIT_SECRET, TOKEN } from './traffic.mjs';

function bareHandler(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end();
    } catch {
      res.writeHead(400).end();
    }
  });
}

const dispatched = { webhooks: 0, octokit: 0, normalized: 0 };
const hooks = createWebhookHandler({ auth: { bearer: TOKEN } })
  .on('push:manifest', () => {
    dispatched.webhooks++;
  })
  .onAny(() => undefined);
const octokit = new Webhooks({ secret: OCTOKIT_SECRET });
octokit.on('registry_package', () => {
  dispatched.octokit++;
});
const octokitMiddleware = createNodeMiddleware(octokit, { path: '/events' });
// a multi-vendor receiver: distribution with its token, GHCR with its webhook secret
const multiVendor = createWebhookHandler({ formats: ['distribution', 'ghcr'], auth: { bearer: TOKEN, ghcr: { secret: GHCR_SECRET } } })
  .on('push:manifest', () => undefined)
  .on('artifact.pushed', () => {
    dispatched.normalized++;
  });

async function serve(listener) {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const servers = {
  bare: await serve(bareHandler),
  webhooks: await serve(hooks.node),
  octokit: await serve((req, res) => octokitMiddleware(req, res)),
  formatsDistribution: await serve(multiVendor.node),
  formatsGhcr: await serve(multiVendor.node),
};
process.on('message', (message) => {
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  if (message === 'stop') {
    for (const server of Object.values(servers)) server.close();
    process.send({ dispatched }, () => process.disconnect());
  }
});
process.send({ ports: Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, server.address().port])) });
