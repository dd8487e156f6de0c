import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import type { Io } from './output.js';

/** Reads a file argument, `-` meaning standard input. */
export async function readInput(path: string, io: Io): Promise<Uint8Array> {
  if (path === '-') return io.stdin();
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? String(error)})`);
  }
}
