export * from './api-token.entity.js';
