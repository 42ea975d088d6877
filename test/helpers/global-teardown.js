import pg from 'pg';

/** Drops this run's template database once every test file has finished. */
export default async function globalTeardown() {
  const runId = process.env.CAMBRIAN_TEST_RUN_ID;
  if (!runId) return;
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(`cambrian_test_tpl_${runId}`)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
