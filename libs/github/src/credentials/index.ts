export * from './credential-binding.js';
export * from './credential-values.js';
export * from './github-credential.entity.js';
export * from './github-credential.exception.js';
export * from './github-credential.service.js';
export * from './github-credentials.module.js';
