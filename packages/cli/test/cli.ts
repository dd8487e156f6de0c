import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bufferedIo } from '../src/output.js';
import { run } from '../src/program.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `regevents` in a subprocess, as a user would. */
export function regevents(args: string[], options: { stdin?: string | Uint8Array; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs `regevents` in this process with buffered output: its exit code, its stdout lines and its stderr as one text. */
export async function runInProcess(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string }> {
  const io = bufferedIo();
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr.join('\n') };
}
