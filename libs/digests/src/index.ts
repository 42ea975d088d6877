export * from './digest.types.js';
