export * from './gharchive-event.js';
export * from './gharchive-import.module.js';
export * from './gharchive-import.service.js';
export * from './map-events-api-event.js';
export * from './map-gharchive-event.js';
export * from './map-timeline-event.js';
export * from './read-gharchive-files.js';
export * from './tracked-repositories.js';
