export * from './digest.types.js';
export * from './iso-week.js';
export * from './compose/index.js';
export * from './digest-compose.module.js';
export * from './send/index.js';
export * from './digest-send.module.js';
