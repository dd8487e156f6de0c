export type * from './events.js';
export * from './guards.js';
export * from './media-types.js';
export type { components as GeneratedComponents, webhooks as GeneratedWebhooks } from './generated/openapi.js';
