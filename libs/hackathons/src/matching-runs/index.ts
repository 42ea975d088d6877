export * from '../resources/matching-run.exception.js';
export * from '../resources/resource.types.js';
export * from '../resources/resource.service.js';
export * from '../resources/resource-request.service.js';
export * from './build-matching-problem.js';
export * from './format-explanation.js';
export * from './matching.module.js';
