export * from './entities/index.js';
export * from './ecosystem/index.js';
export * from './sync/index.js';
export * from './webhooks/index.js';
export * from './client/index.js';
export * from './gharchive/index.js';
export * from './credentials/index.js';
export * from './profiles/index.js';
