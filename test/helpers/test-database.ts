import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEVELOPMENT_SECRETS_KEY } from '../../libs/config/src/secrets-key.js';
import { splitDatabaseUrl } from '../../libs/db/src/database-url.js';
import { erasureKeyOptions, loadErasureKey } from '../../libs/db/src/erasure-key-session.js';
import { dropDatabaseOn, runMigrations } from '../../libs/db/src/prepare-database.js';
import { rotateErasureKey } from '../../libs/secrets/src/erasure-key.js';
import { secretBoxFromConfig } from '../../libs/secrets/src/secret-box.js';

/** Server the tests use; override with TEST_DATABASE_URL (any database name: it is replaced). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The migrated template every test database of this run is cloned from. */
export function templateDatabaseName(): string {
  return `cambrian_test_tpl_${process.env.CAMBRIAN_TEST_RUN_ID ?? `${Math.floor(Date.now() / 1000)}_local`}`;
}

/** Test databases older than this (seconds) with no connection are leftovers of killed runs. */
const STALE_AFTER_SECONDS = 6 * 3600;

/** A key of the advisory lock that serialises building the template across Jest workers. */
const TEMPLATE_LOCK_KEY = 0x54504c; // "TPL"

function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onMaintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: splitDatabaseUrl(urlFor('postgres')).maintenanceUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The secrets box of test databases: the development key, as Cambrian outside production without
 * CAMBRIAN_SECRETS_KEY (the template's erasure key is sealed under it).
 */
export const testSecretBox = () => secretBoxFromConfig({ NODE_ENV: 'test', CAMBRIAN_SECRETS_KEY: undefined, CAMBRIAN_SECRETS_OLD_KEYS: [] });

/** A database of its own for one test file, cloned from the migrated template. */
export interface TestDatabase {
  url: string;
  name: string;
  /** The database's erasure hash key (decrypted; the database stores it sealed). */
  erasureKey: string;
  /**
   * The startup options a connection of the test's own (`pg.Pool` `options`, TypeORM `extra.options`)
   * needs to write rows that `erasure_key_hash` checks: `-c cambrian.erasure_key=…`, as Cambrian's own connections.
   */
  options: string;
  /**
   * Seals the erasure key under `secretsKey` (base64, as CAMBRIAN_SECRETS_KEY) instead of the
   * development key, for a test that runs Cambrian with that key (production mode, rotation).
   */
  sealErasureKeyUnder(secretsKey: string, oldKeys?: string[]): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Creates an isolated, migrated database (`CREATE DATABASE ... TEMPLATE`), so no test file
 * sees another's rows and none depends on the order files run in.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplateDatabase();
  const name = `cambrian_test_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await onMaintenance((client) =>
    client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`),
  );
  const url = urlFor(name);
  const erasureKey = await loadErasureKey(url, testSecretBox());
  return {
    name,
    url,
    erasureKey,
    options: erasureKeyOptions(erasureKey),
    sealErasureKeyUnder: async (secretsKey, oldKeys = [DEVELOPMENT_SECRETS_KEY]) => {
      const box = secretBoxFromConfig({ NODE_ENV: 'test', CAMBRIAN_SECRETS_KEY: secretsKey, CAMBRIAN_SECRETS_OLD_KEYS: oldKeys });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await rotateErasureKey(client, box);
      } finally {
        await client.end();
      }
    },
    drop: () =>
      onMaintenance((client) => dropDatabaseOn(client, name)),
  };
}

/**
 * Builds this run's migrated template once (the first worker to get the lock does it) and
 * drops leftovers of interrupted runs.
 */
async function ensureTemplateDatabase(): Promise<string> {
  const template = templateDatabaseName();
  await onMaintenance(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) return;
      // leftovers of interrupted runs: names carry their creation time; other runs' recent
      // databases (a concurrent run's template included) are left alone
      const names = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database d WHERE datname LIKE 'cambrian\\_test\\_%'
           AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
      );
      const cutoff = Date.now() / 1000 - STALE_AFTER_SECONDS;
      for (const { datname } of names.rows) {
        const created = Number(/_(\d{10})_/.exec(datname)?.[1]);
        if (!(created < cutoff)) continue;
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)}`).catch(() => undefined);
      }
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(template)}`);
      await runMigrations(urlFor(template), testSecretBox());
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return template;
}
