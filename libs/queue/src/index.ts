export * from './queue-names.js';
export * from './queue.module.js';
export * from './redis-connection.js';
