import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TEST_REDIS_URL, testQueuePrefix } from './test-queue-prefix.js';

/** An isolated database and queue prefix, exported as the environment Cambrian's config reads. */
export interface TestEnv {
  database: TestDatabase;
  queuePrefix: string;
  /** Sets DATABASE_URL, REDIS_URL and QUEUE_PREFIX, rate limits off (and any extras) on process.env. */
  apply(extra?: Record<string, string>): void;
  teardown(): Promise<void>;
}

/** Creates the per-file database and queue prefix. Call in `beforeAll`; `teardown` in `afterAll`. */
export async function createTestEnv(): Promise<TestEnv> {
  const database = await createTestDatabase();
  const queuePrefix = testQueuePrefix();
  return {
    database,
    queuePrefix,
    apply(extra = {}) {
      Object.assign(process.env, {
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
        LOG_LEVEL: 'silent',
        // a test file sends its requests from one address; the tests of the limits set their own budgets
        RATE_LIMIT_GRAPHQL_PER_IP: 'off',
        RATE_LIMIT_GRAPHQL_PER_TOKEN: 'off',
        RATE_LIMIT_WEBHOOK_PER_IP: 'off',
        RATE_LIMIT_SIGN_IN_PER_IP: 'off',
        ...extra,
      });
    },
    teardown: () => database.drop(),
  };
}
