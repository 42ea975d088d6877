import { randomBytes } from 'node:crypto';

/** Redis the tests use; override with TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A BullMQ key prefix of its own for one test file, so queues never mix between files. It starts
 * with the run's id, so global-teardown.js removes every key the run left (BullMQ keeps `meta`
 * and scheduler keys even after a queue is closed).
 */
export function testQueuePrefix(): string {
  return `cambrian-test-${process.env.CAMBRIAN_TEST_RUN_ID ?? 'local'}-${randomBytes(6).toString('hex')}`;
}
