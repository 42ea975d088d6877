export * from './affiliation-sql.js';
