export * from './erasure-key.js';
export * from './secret-box.js';
export * from './secret-keyring.js';
export * from './secrets.exception.js';
export * from './secrets.module.js';
