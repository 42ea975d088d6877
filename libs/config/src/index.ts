export * from './config.schema.js';
export * from './load-config.js';
export * from './config.module.js';
export * from './github-app.js';
export * from './http-protection-config.js';
export * from './github-oauth.js';
export * from './secrets-key.js';
