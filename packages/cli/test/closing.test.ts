import { describe, expect, it } from 'vitest';
import { closeAll, closeTogether, runThenClose } from '../src/closing.js';
import { serveUntilInterrupted } from '../src/interruption.js';
import { bufferedIo } from '../src/output.js';

/** Closes that log their names; the ones named in `failing` reject after logging. */
function closes(names: string[], failing: string[], closed: string[]) {
  return names.map((name) => async () => {
    closed.push(name);
    if (failing.includes(name)) throw new Error(`${name} failed to close`);
  });
}

describe('closing what a command opened', () => {
  it('runs every close in order when one rejects, throws the first failure and reports the others', async () => {
    const closed: string[] = [];
    const reported: unknown[] = [];
    await expect(closeAll(closes(['ui', 'server', 'forwarders', 'log'], ['server', 'forwarders'], closed), (error) => reported.push(error))).rejects.toThrow('server failed to close');
    expect(closed).toEqual(['ui', 'server', 'forwarders', 'log']);
    expect(reported).toEqual([new Error('forwarders failed to close')]);
  });

  it('closes independent things at once: each starts before any finishes, the first failure is thrown, the others reported', async () => {
    const started: string[] = [];
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const stopping = (name: string, fails: boolean) => async () => {
      started.push(name);
      if (started.length === 3) finish();
      await gate;
      if (fails) throw new Error(`${name} failed to stop`);
    };
    const reported: unknown[] = [];
    const run = closeTogether([stopping('a', false), stopping('b', true), stopping('c', true)], (error) => reported.push(error));
    await expect(run).rejects.toThrow('b failed to stop');
    expect(started).toEqual(['a', 'b', 'c']);
    expect(reported).toEqual([new Error('c failed to stop')]);
  });

  it("throws the body's error, not a close's, after every close ran", async () => {
    const closed: string[] = [];
    const reported: unknown[] = [];
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080'), { code: 'EADDRINUSE' });
    const run = runThenClose(() => Promise.reject(inUse), closes(['server', 'log'], ['server'], closed), (error) => reported.push(error));
    await expect(run).rejects.toBe(inUse);
    expect(closed).toEqual(['server', 'log']);
    expect(reported).toEqual([new Error('server failed to close')]);
  });

  it("returns the body's result when everything closes, and throws a close's failure when only that failed", async () => {
    const closed: string[] = [];
    expect(await runThenClose(async () => 0, closes(['server', 'log'], [], closed), () => undefined)).toBe(0);
    await expect(runThenClose(async () => 0, closes(['server', 'log'], ['log'], closed), () => undefined)).rejects.toThrow('log failed to close');
    expect(closed).toEqual(['server', 'log', 'server', 'log']);
  });
});

describe('a command serving until interrupted', () => {
  it('closes the parts it started last first, having registered each as it was up, and throws the error that stopped it, not a close\'s', async () => {
    const closed: string[] = [];
    const reported: unknown[] = [];
    const part = (name: string, fails = false) => ({
      close: async () => {
        closed.push(name);
        if (fails) throw new Error(`${name} failed to close`);
      },
    });
    const inUse = new Error('listen EADDRINUSE: address already in use 127.0.0.1:5056');
    const run = serveUntilInterrupted({ ...bufferedIo(), err: (line) => reported.push(line) }, 'regevents test', async ({ started }) => {
      await started.part(part('log', true));
      await started.part(Promise.resolve(part('server')));
      started.add(() => void closed.push('consumers'));
      throw inUse;
    });
    await expect(run).rejects.toBe(inUse);
    expect(closed).toEqual(['consumers', 'server', 'log']);
    expect(reported).toEqual(['regevents test while closing: log failed to close']);
  });

  /** Ctrl-C as the process would hear it (no other SIGINT handler listens in a test). */
  const ctrlC = () => process.emit('SIGINT', 'SIGINT');

  it('with an interrupted code, ends with it and "stopped" when the signal came during its last step, whatever the body returned', async () => {
    const io = bufferedIo();
    const code = await serveUntilInterrupted(io, 'regevents test', async () => {
      ctrlC();
      return 0;
    }, { interrupted: 130 });
    expect(code).toBe(130);
    expect(io.stderr).toEqual(['stopped']);
  });

  it('with an interrupted code, a close that fails after the signal is reported, not thrown', async () => {
    const io = bufferedIo();
    const code = await serveUntilInterrupted(io, 'regevents test', async ({ signal, started }) => {
      started.add(() => Promise.reject(new Error('ui failed to close')));
      ctrlC();
      signal.throwIfAborted();
      return 0;
    }, { interrupted: 130 });
    expect(code).toBe(130);
    expect(io.stderr).toEqual(['regevents test while closing: ui failed to close', 'stopped']);
  });

  it('returns the code its body returns when no signal came, printing no "stopped"', async () => {
    const io = bufferedIo();
    expect(await serveUntilInterrupted(io, 'regevents test', async () => 130)).toBe(130);
    expect(io.stderr).toEqual([]);
  });
});
