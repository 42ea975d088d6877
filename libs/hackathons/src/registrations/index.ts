export * from './registration-query.service.js';
export * from './registration.entity.js';
