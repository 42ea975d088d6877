export * from './audit.exception.js';
export * from './audit.module.js';
export * from './audit.service.js';
export * from './audit.types.js';
export * from './redact-for-audit.js';
export * from './audit-target-lock.js';
export * from './erased-logins.js';
