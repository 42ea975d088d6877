export * from './bigint.transformer.js';
export * from './database-url.js';
export * from './prepare-database.js';
export * from './database.module.js';
