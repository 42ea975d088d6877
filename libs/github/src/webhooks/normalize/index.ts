export * from './delivery-plan.js';
export * from './normalize-delivery.js';
export type { NormalizeContext } from './payload-fields.js';
