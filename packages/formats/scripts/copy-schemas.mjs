// The vendor schemas live at the repository root; the package ships copies so users can import
// them (`@regevents/formats/schemas/harbor.schema.json`) after `npm install`.
import { cp, rm } from 'node:fs/promises';

const from = new URL('../../../schemas/vendors/', import.meta.url);
const to = new URL('../schemas/', import.meta.url);
await rm(to, { recursive: true, force: true });
await cp(from, to, { recursive: true });
