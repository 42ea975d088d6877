import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_SERVER_URL, testSecretBox } from '../../../test/helpers/test-database.js';
import { loadErasureKey } from './erasure-key-session.js';
import { dropDatabase, prepareDatabase } from './prepare-database.js';

/** A URL naming a database of the test server that does not exist yet (dropped by the test). */
function newDatabaseUrl(): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/cambrian_test_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

describe('prepareDatabase (Postgres)', () => {
  it('lets processes started together on a server without the database (api, worker, a CLI command) all start, with one erasure key', async () => {
    const url = newDatabaseUrl();
    try {
      const started = await Promise.all([0, 1, 2, 3].map(() => prepareDatabase(url, testSecretBox())));
      expect(started.filter((result) => result.created).length).toBeLessThanOrEqual(1);
      expect(started.filter((result) => result.applied.length > 0)).toHaveLength(1);
      expect(new Set(started.map((result) => result.erasureKey)).size).toBe(1);
      expect(await loadErasureKey(url, testSecretBox())).toBe(started[0].erasureKey);
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        expect((await db.query(`SELECT count(*)::int AS n FROM erasure_key`)).rows[0].n).toBe(1);
      } finally {
        await db.end();
      }
    } finally {
      await dropDatabase(url);
    }
  });
});
