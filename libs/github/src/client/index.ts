export * from './github-client.js';
export * from './github-app-auth.js';
export * from './github-client.module.js';
export * from './link-header.js';
export * from './request-limiter.js';
export * from './rate-limit-headers.js';
export * from './token-budget.js';
export * from './response-guard.js';
