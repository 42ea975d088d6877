export * from './member-hackathon.types.js';
export * from './member-hackathon-query.service.js';
export * from './member-hackathons.module.js';
