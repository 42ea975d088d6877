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

describe('dropDatabase (Postgres)', () => {
  /** A database of the test server, created for the test; `dropDatabase` removes it. */
  async function createdDatabaseUrl(): Promise<string> {
    const url = newDatabaseUrl();
    const maintenance = new pg.Client({ connectionString: TEST_SERVER_URL });
    await maintenance.connect();
    try {
      await maintenance.query(`CREATE DATABASE ${pg.escapeIdentifier(new URL(url).pathname.slice(1))}`);
    } finally {
      await maintenance.end();
    }
    return url;
  }

  /** A connected client that records the errors it receives. */
  async function watchedClient(url: string): Promise<{ client: pg.Client; errors: Error[] }> {
    const client = new pg.Client({ connectionString: url });
    const errors: Error[] = [];
    client.on('error', (error) => errors.push(error));
    await client.connect();
    return { client, errors };
  }

  it('lets a connection that is closing end on its own instead of terminating it under its client (57P01)', async () => {
    const url = await createdDatabaseUrl();
    const { client, errors } = await watchedClient(url);
    const dropped = dropDatabase(url);
    // the drop is now waiting for this connection; it closes well within the grace
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.end();
    expect(await dropped).toBe(true);
    expect(errors).toEqual([]);
    expect(await dropDatabase(url)).toBe(false);
  });

  it('ends a connection still open after the grace and drops the database anyway', async () => {
    const url = await createdDatabaseUrl();
    const { client, errors } = await watchedClient(url);
    try {
      expect(await dropDatabase(url, 200)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(errors.map((error) => (error as { code?: string }).code ?? error.message)).toContain('57P01');
    } finally {
      await client.end().catch(() => undefined);
    }
    expect(await dropDatabase(url)).toBe(false);
  });
});
