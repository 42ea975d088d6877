export * from './metrics.js';
export * from './request-context.js';
export * from './logger.js';
export * from './http-instrumentation.js';
export * from './graphql-metrics.plugin.js';
export * from './queue-instrumentation.js';
export * from './metrics-server.js';
export * from './graceful-shutdown.js';
