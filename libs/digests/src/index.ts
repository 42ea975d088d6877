export * from './digest.types.js';
export * from './iso-week.js';
