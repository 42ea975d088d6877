/** The exact resource-matching solver: pure, synchronous, no Nest or database imports (it runs in a worker thread). */
export * from './matching.exception.js';
export { DEFAULT_MATCHING_WEIGHTS, minimumFirstUnitBonus, unitUtility } from './matching-weights.js';
export { solveMatching, type MatchingAlgorithm, type SolveMatchingOptions } from './matching-solver.js';
export { explainAllocation } from './matching-explanations.js';
