import { NORMALIZED_KINDS } from '@regevents/formats';
import { createRelay, type LogEntry, type RelayLog } from '@regevents/relay';
import { CliError, EXIT, messageOf } from '../cli-error.js';
import { serveUntilInterrupted } from '../interruption.js';
import type { Io } from '../output.js';
import { formatEntry, openLog, type OpenLog, type RelayLogOptions } from './relay-log.js';

export interface TailOptions extends RelayLogOptions {
  group?: string;
  from: string;
  json?: boolean;
  once?: boolean;
}

const POLL_MS = 250;

function startOf(from: string): Date | string {
  if (from === 'now') return new Date();
  if (from === 'beginning' || /^\d+-\d+$/.test(from)) return from;
  const time = new Date(from);
  if (Number.isNaN(time.getTime())) throw new CliError(`--from must be now, beginning, a log position (1700000000000-0) or a time (got "${from}")`);
  return time;
}

function next(position: string): string {
  const [ms, seq] = position.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

/** Follows the whole log without joining a group (nothing is acknowledged). */
async function followLog(log: RelayLog, options: TailOptions, print: (entry: LogEntry) => void, stopped: Promise<unknown>): Promise<void> {
  const relay = createRelay({ log, auth: { unauthenticated: true } });
  let from = startOf(options.from);
  let stop = false;
  void stopped.then(() => (stop = true));
  while (!stop) {
    for await (const entry of relay.replay({ from })) {
      print(entry);
      from = next(entry.position);
    }
    if (options.once) return;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, POLL_MS)), stopped]);
  }
}

/** Joins group `group` and prints (and so acknowledges) what the group receives. */
async function followGroup({ log, redis }: OpenLog, group: string, options: TailOptions, print: (entry: LogEntry) => void, stopped: Promise<unknown>): Promise<void> {
  const relay = createRelay({ log, auth: { unauthenticated: true } });
  if (options.from !== 'now' && options.from !== 'beginning') throw new CliError('with --group, --from is "now" or "beginning" (where a new group starts)');
  const consumer = relay.consumer(group, { start: options.from });
  const show = (event: unknown, format: string, repository: string) =>
    print({ position: new Date().toISOString(), partition: 0, record: { key: '', format: format as never, repository, receivedAt: '', event } });
  consumer.onAny((event) => show(event, 'distribution', String((event as { target?: { repository?: string } }).target?.repository ?? '')));
  consumer.on(NORMALIZED_KINDS, (event, context) => {
    if (context.format !== 'distribution') show(event, context.format, event.repository);
  });
  let ended = false;
  consumer.onError((error) => {
    // a one-shot client that gave up on Redis fails every call after: the command's last line says why, once
    if (ended || redis?.isOpen === false) return;
    process.stderr.write(`regevents relay tail: ${messageOf(error)}\n`);
  });
  await consumer.start();
  try {
    await (options.once ? consumer.idle() : stopped);
  } catch (error) {
    ended = true;
    throw error;
  } finally {
    // also when idle() gave up on Redis: a consumer left running polls (and reports) for ever
    await consumer.stop();
  }
}

/** `regevents relay tail`: prints the log's events as they are appended (or, with --group, as a group consumes them). */
export function relayTailCommand(options: TailOptions, io: Io): Promise<number> {
  return serveUntilInterrupted(io, 'regevents relay tail', async ({ signal, stopped, started }) => {
    // following the log, it waits for its Redis as a service; --once is a command that gives up on it
    const once = options.once === true;
    const opened = await started.part(openLog(options, io, { signal, deadline: once }));
    const print = (entry: LogEntry) => io.out(options.json ? JSON.stringify(entry) : formatEntry(entry, io));
    await (options.group ? followGroup(opened, options.group, options, print, stopped) : followLog(opened.log, options, print, stopped));
    return EXIT.ok;
  });
}
