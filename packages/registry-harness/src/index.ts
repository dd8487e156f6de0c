export * from './capture.js';
export * from './images.js';
export * from './listener.js';
export * from './peers.js';
export * from './process.js';
export * from './registry.js';
export * from './scenarios.js';
export * from './skopeo.js';
