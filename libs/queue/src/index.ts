export * from './failed-jobs.service.js';
export * from './queue-names.js';
export * from './queue.module.js';
export * from './redis-connection.js';
export * from './redis-readiness.js';
export * from './retry-failed-job.js';
export * from './reset-redis-prefix.js';
