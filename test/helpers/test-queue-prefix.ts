import { randomBytes } from 'node:crypto';

/** Redis the tests use; override with TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ key prefix of its own for one test file, so queues never mix between files. */
export function testQueuePrefix(): string {
  return `cambrian-test-${randomBytes(6).toString('hex')}`;
}
