// The published schemas live at the repository root (schemas/); the package ships a copy.
import { cp, rm } from 'node:fs/promises';

const from = new URL('../../../schemas/', import.meta.url);
const to = new URL('../schemas/', import.meta.url);
await rm(to, { recursive: true, force: true });
await cp(from, to, { recursive: true });
