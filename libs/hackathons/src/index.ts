export * from './matching/matching-problem.js';
export * from './judging/index.js';
export * from './common/index.js';
export * from './events/index.js';
export * from './registrations/index.js';
export * from './teams/index.js';
export * from './submissions/index.js';
export * from './hackathons.module.js';
// judging declares the same union for its own rules; the core's is the one exported
export type { HackathonStatus } from './events/hackathon.entity.js';
export * from './contributions/index.js';
export * from './matching/index.js';
export * from './matching-runs/index.js';
export * from './member-hackathons/index.js';
