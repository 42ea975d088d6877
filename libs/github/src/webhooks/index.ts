export * from './decode-delivery-body.js';
export * from './delivery-job.js';
export * from './delivery-meta.js';
export * from './verify-signature.js';
export * from './webhook.exception.js';
export * from './webhook-ingest.module.js';
export * from './webhook-ingest.service.js';
