export * from './submission-pull-request.entity.js';
export * from './submission-query.service.js';
export * from './submission.entity.js';
export * from './submission-input.js';
export * from './submission.service.js';
