export * from './affiliation-recompute.service.js';
export * from './affiliation-sql.js';
export * from './affiliation.service.js';
export * from './affiliation.types.js';
export * from './contribution-credit.service.js';
export * from './profile-company.service.js';
