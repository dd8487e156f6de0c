#!/usr/bin/env node
// What npm links as `regevents`. npm links a bin only if its file exists when it installs, and in a
// fresh clone `npm ci` runs before `npm run build`: this committed file is linked, and loads the build.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  console.error('regevents: the CLI is not built yet; run `npm run build` at the repository root first');
  process.exit(2);
}
await import(built.href);
