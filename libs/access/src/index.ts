export * from './access.exception.js';
export * from './access.types.js';
export * from './access-grant.service.js';
export * from './access-lookup.service.js';
export * from './viewer-access.js';
export * from './access.module.js';
