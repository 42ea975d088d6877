export * from './health.module.js';
export * from './migrations.health.js';
export * from './readiness.service.js';
export * from './redis.health.js';
