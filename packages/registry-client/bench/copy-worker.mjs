// One `copy` in its own process, so its peak RSS is the client's alone (not the benchmark's image).
import { createRegistryClient } from '../dist/node/index.js';

const [sourceUrl, targetUrl, repository, reference] = process.argv.slice(2);
const source = createRegistryClient({ baseUrl: sourceUrl, userAgent: 'regevents-bench' });
const target = createRegistryClient({ baseUrl: targetUrl, userAgent: 'regevents-bench' });
const started = performance.now();
const result = await source.copy({ repository, reference }, { client: target, repository });
process.stdout.write(JSON.stringify({ ms: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS, uploaded: result.blobs.uploaded }));
