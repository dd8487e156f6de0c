import { redisCommandOf, type IoRedisLike, type NodeRedisLike, type RedisCommand } from '@regevents/webhooks';
import { RelayConfigError } from './errors.js';
import { keepShape } from './keep-shape.js';

export type { RedisCommand };

/** Node's timers, where there are any (`setImmediate` is not a web standard). */
const timers = globalThis as unknown as { setImmediate?: (callback: () => void) => unknown; clearImmediate?: (immediate: unknown) => void };

let immediateKept = false;

/**
 * node-redis queues each write with `setImmediate`, and V8 inlines that into our callers' optimized
 * code (a script's `run`, the consumer's reads), which then checks the hidden classes of Node's
 * Immediate objects: one cleared Immediate kept (see keep-shape.ts) holds them across quiet spells.
 */
function keepImmediateShape(): void {
  immediateKept = true;
  const immediate = timers.setImmediate?.(() => undefined);
  timers.clearImmediate?.(immediate);
  if (typeof immediate === 'object' && immediate !== null) keepShape(immediate);
}

/** `@regevents/webhooks`' one way to send a command, with the relay's typed error (naming `caller`) for anything but a node-redis or ioredis client. */
export function redisCommand(client: NodeRedisLike | IoRedisLike | undefined, caller: string): RedisCommand {
  const command = redisCommandOf(client);
  if (!command) throw new RelayConfigError(`${caller} needs { client }: a connected node-redis or ioredis client`);
  if (!immediateKept) keepImmediateShape();
  return command;
}

async function sha1(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * A Lua script sent once by EVALSHA, and in full only when the server does not know it (after a
 * restart). `decode` reads the reply in the same step (one promise per call, not one more for it).
 */
export function luaScript(command: RedisCommand, source: string): (keys: readonly string[], args: readonly string[]) => Promise<unknown>;
export function luaScript<T>(command: RedisCommand, source: string, decode: (reply: unknown) => T): (keys: readonly string[], args: readonly string[]) => Promise<T>;
export function luaScript(command: RedisCommand, source: string, decode = (reply: unknown): unknown => reply): (keys: readonly string[], args: readonly string[]) => Promise<unknown> {
  let hash: string | undefined;
  const hashing = sha1(source).then((value) => (hash = value));
  const run = (sha: string, keys: readonly string[], args: readonly string[]): Promise<unknown> => {
    const line = ['EVALSHA', sha, String(keys.length), ...keys, ...args];
    // a promise chain, not an async function: appends call this once per request
    return command(line).then(decode, (error: unknown) => {
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error;
      line[0] = 'EVAL';
      line[1] = source;
      return command(line).then(decode);
    });
  };
  return (keys, args) => (hash === undefined ? hashing.then((sha) => run(sha, keys, args)) : run(hash, keys, args));
}

/** `[field, value, field, value]` as an object (the RESP2 shape of XINFO and stream entries). */
export function pairs(reply: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

export function errorCode(error: unknown): string {
  return String((error as Error | undefined)?.message ?? '').split(' ', 1)[0] ?? '';
}
