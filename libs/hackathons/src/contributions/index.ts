export * from './eligibility.js';
export * from './contribution.types.js';
export * from './contribution.exception.js';
export * from './hackathon-rules.js';
export * from './contribution-freeze.service.js';
export * from './contribution-tracking.service.js';
export * from './contribution-retention.service.js';
export * from './contributions.module.js';
