export * from './registration-query.service.js';
export * from './registration.entity.js';
export * from './normalise-tags.js';
export * from './registration.service.js';
