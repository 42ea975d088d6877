export * from './erasure-suppression.sql.js';
export * from './member-erasure.service.js';
export * from './member-erasure.types.js';
export * from './member-data-export.service.js';
