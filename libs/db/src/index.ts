export * from './bigint.transformer.js';
export * from './database-url.js';
export * from './erasure-key-session.js';
export * from './keyed-data-source.js';
export * from './prepare-database.js';
export * from './database.module.js';
