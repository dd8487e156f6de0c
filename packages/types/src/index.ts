export type * from './events.js';
export type * from './vendors.js';
export type * from './normalized.js';
export type * from './issue.js';
export * from './guards.js';
export * from './media-types.js';
export type { components as GeneratedComponents, webhooks as GeneratedWebhooks } from './generated/openapi.js';
export type { components as GeneratedVendorComponents } from './generated/vendors.js';
