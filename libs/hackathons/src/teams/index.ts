export * from './team-member.entity.js';
export * from './team-query.service.js';
export * from './team.entity.js';
export * from './team-rules.js';
export * from './team.service.js';
