export * from './ecosystem.exception.js';
export * from './ecosystem.module.js';
export * from './ecosystem.service.js';
export * from './tracked-source-spec.js';
