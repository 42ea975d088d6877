export * from './hackathon.exception.js';
export * from './member-root.js';
export * from './parse-input.js';
export * from './participant.service.js';
