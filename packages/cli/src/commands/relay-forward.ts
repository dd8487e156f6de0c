import { forwardCloudEvents, forwardWebhook, type Consumer, type Relay } from '@regevents/relay';
import { CliError } from '../cli-error.js';
import type { Io } from '../output.js';

export interface ForwardFlags {
  forwardCloudevents?: string;
  cloudeventsMode?: 'binary' | 'structured';
  forwardWebhook?: string;
  /** The `whsec_` secret for `--forward-webhook` (never printed). */
  sign?: string;
}

/** `--forward-cloudevents` and `--forward-webhook --sign`: one consumer group each (`forward-cloudevents`, `forward-webhook`), started with the relay; returns what stops them. */
export async function startForwarders(relay: Relay, flags: ForwardFlags, io: Io): Promise<() => Promise<void>> {
  if (flags.forwardWebhook && !flags.sign) throw new CliError('--forward-webhook needs --sign whsec_… (the secret its deliveries are signed with)');
  if (flags.sign && !flags.forwardWebhook) throw new CliError('--sign goes with --forward-webhook URL');
  const consumers: Consumer[] = [];
  const report = (what: string) => (error: unknown) => io.err(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  if (flags.forwardCloudevents) {
    const consumer = forwardCloudEvents(relay.consumer('forward-cloudevents'), { sink: flags.forwardCloudevents, mode: flags.cloudeventsMode });
    consumers.push(consumer.onError(report('forward-cloudevents')));
  }
  if (flags.forwardWebhook && flags.sign) {
    const consumer = forwardWebhook(relay.consumer('forward-webhook'), { url: flags.forwardWebhook, sign: flags.sign });
    consumers.push(consumer.onError(report('forward-webhook')));
  }
  await Promise.all(consumers.map((consumer) => consumer.start()));
  for (const consumer of consumers) io.err(`forwarding every event (group ${consumer.group})`);
  return async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  };
}
