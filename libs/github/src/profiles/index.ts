export * from './profile-sync.service.js';
