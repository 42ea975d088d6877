export * from './matching/matching-problem.js';
export * from './judging/index.js';
