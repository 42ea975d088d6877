export * from './api-token.entity.js';
export * from './api-token-secret.js';
export * from './api-token.service.js';
export * from './auth.exception.js';
export * from './auth.module.js';
export * from './viewer.js';
export * from './csrf-token.js';
export * from './session.service.js';
