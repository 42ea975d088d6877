export * from './ecosystem.entity.js';
export * from './git-commit.entity.js';
export * from './issue.entity.js';
export * from './pull-request.entity.js';
export * from './repository.entity.js';
export * from './sync-state.entity.js';
export * from './tracked-source.entity.js';
export * from './webhook-delivery.entity.js';
