import { ENRICH_USER_AGENT, forwardCloudEvents, forwardWebhook, type Consumer, type ConsumerOptions, type Relay } from '@regevents/relay';
import { createRegistryClient } from '@regevents/registry-client';
import { CliError } from '../cli-error.js';
import { closeTogether, rejections, throwFirst } from '../closing.js';
import { errorLines, type Io } from '../output.js';
import { registryFromFlags, type RegistryCredentialOptions } from '../registry-credentials.js';

export interface ForwardFlags extends RegistryCredentialOptions {
  forwardCloudevents?: string;
  cloudeventsMode?: 'binary' | 'structured';
  forwardWebhook?: string;
  /** The `whsec_` secret for `--forward-webhook` (never printed). */
  sign?: string;
  /** Forward the enriched view, reading what the registry left out from `registry`. */
  enrich?: boolean;
  registry?: string;
}

/** `--enrich --registry URL`: what the forwarders' consumers are made with; the default view without `--enrich`. */
async function forwardedView(flags: ForwardFlags, io: Io): Promise<{ consumer: ConsumerOptions; view: 'received' | 'enriched' }> {
  if (flags.registry !== undefined && !flags.enrich) throw new CliError('--registry goes with --enrich (the registry the enriched view reads)');
  if (!flags.enrich) return { consumer: {}, view: 'received' };
  if (!flags.forwardCloudevents && !flags.forwardWebhook) throw new CliError('--enrich goes with --forward-cloudevents or --forward-webhook (it changes what they forward)');
  if (flags.registry === undefined) throw new CliError('--enrich needs --registry <url>: the registry to read the missing digests and tags from');
  const { client } = await registryFromFlags(flags.registry, flags, ENRICH_USER_AGENT, io);
  return { consumer: { enrich: { client: createRegistryClient(client) } }, view: 'enriched' };
}

/** `--forward-cloudevents` and `--forward-webhook --sign` (with `--enrich`, the enriched view): one consumer group each (`forward-cloudevents`, `forward-webhook`), started with the relay; returns what stops them. */
export async function startForwarders(relay: Relay, flags: ForwardFlags, io: Io): Promise<() => Promise<void>> {
  if (flags.forwardWebhook && !flags.sign) throw new CliError('--forward-webhook needs --sign whsec_… (the secret its deliveries are signed with)');
  if (flags.sign && !flags.forwardWebhook) throw new CliError('--sign goes with --forward-webhook URL');
  const { consumer: made, view } = await forwardedView(flags, io);
  const consumers: Consumer[] = [];
  if (flags.forwardCloudevents) {
    const consumer = forwardCloudEvents(relay.consumer('forward-cloudevents', made), { sink: flags.forwardCloudevents, mode: flags.cloudeventsMode, view });
    consumers.push(consumer.onError(errorLines(io, 'forward-cloudevents')));
  }
  if (flags.forwardWebhook && flags.sign) {
    const consumer = forwardWebhook(relay.consumer('forward-webhook', made), { url: flags.forwardWebhook, sign: flags.sign, view });
    consumers.push(consumer.onError(errorLines(io, 'forward-webhook')));
  }
  const report = errorLines(io, 'regevents relay forwarders');
  // every stop runs whichever fails; the first failure is thrown to the caller, the others printed
  const stop = () => closeTogether(consumers.map((consumer) => () => consumer.stop()), report);
  // every start settles first: one that failed must not leave the others running with no one to stop them
  const failedStarts = rejections(await Promise.allSettled(consumers.map((consumer) => consumer.start())));
  if (failedStarts.length > 0) {
    await stop().catch(report);
    throwFirst(failedStarts, report);
  }
  for (const consumer of consumers) io.err(`forwarding every event${view === 'enriched' ? ', enriched,' : ''} (group ${consumer.group})`);
  return stop;
}
