// A long-running replicator in its own process: each line on stdin names a copy to make, each
// line on stdout answers with its time; its peak RSS is the client's alone (not the benchmark's image).
import { createInterface } from 'node:readline';
import { createRegistryClient } from '../dist/node/index.js';

for await (const line of createInterface({ input: process.stdin })) {
  const { sourceUrl, targetUrl, repository, reference } = JSON.parse(line);
  const source = createRegistryClient({ baseUrl: sourceUrl, userAgent: 'regevents-bench' });
  const target = createRegistryClient({ baseUrl: targetUrl, userAgent: 'regevents-bench' });
  const started = performance.now();
  const result = await source.copy({ repository, reference }, { client: target, repository });
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS, uploaded: result.blobs.uploaded })}\n`);
}
