import { randomBytes } from 'node:crypto';

/**
 * Runs once in Jest's parent process before the test files. It only names this run; the
 * workers (which inherit the environment) build the run's migrated template database on
 * first use, since migrations are TypeScript that only the workers' transform can load.
 */
export default function globalSetup() {
  process.env.CAMBRIAN_TEST_RUN_ID = `${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}
