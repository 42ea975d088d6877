export * from './community-metrics.service.js';
export * from './contributor-absence-factor.js';
export * from './item-flow.js';
export * from './item-flow.service.js';
export * from './item-responses.sql.js';
export * from './metric-scope.js';
export * from './metrics.module.js';
export * from './metrics.types.js';
