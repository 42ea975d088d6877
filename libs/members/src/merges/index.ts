export * from './identity-explanation.service.js';
export * from './member-merge.service.js';
export * from './members-changed.listener.js';
export * from './merge-suggestion.service.js';
export * from './merge.types.js';
export * from './merges.module.js';
export * from './recompute-after-merge.js';
