export * from './matching/matching-problem.js';
