export * from './organization-names.js';
export * from './organization.exception.js';
export * from './organization.service.js';
export * from './organization.types.js';
export * from './organizations.module.js';
export * from './webmail.js';
