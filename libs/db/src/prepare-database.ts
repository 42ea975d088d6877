import pg from 'pg';
import { DataSource } from 'typeorm';
import { readErasureKey, type SecretBox } from '#libs/secrets';
import { ErasureKeySealed1764900000160 } from '../../../migrations/1764900000160-ErasureKeySealed.js';
import { migrations } from '../../../migrations/index.js';
import { provideMigrationSecrets } from '../../../migrations/support/migration-secrets.js';
import { splitDatabaseUrl } from './database-url.js';
import { erasureKeyOptions } from './erasure-key-session.js';

/** A key of the Postgres advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 0x43414d42; // "CAMB"

/**
 * Creates the database named in `databaseUrl` when it does not exist yet.
 * Safe to call from several processes at once (a concurrent creation is not an error).
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const { database, maintenanceUrl } = splitDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      return true;
    } catch (error) {
      // created meanwhile: 42P04 once the other creation has committed, 23505 (the unique index of
      // pg_database's names) when both creations ran at once
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') {
        const created = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (created.rowCount) return false;
      }
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** How long a drop waits for the database's connections to close on their own (milliseconds). */
export const DROP_GRACE_MS = 3000;

/**
 * Drops `database` through `maintenance` (a client connected to another database of the server).
 *
 * It first waits up to `graceMs` for the database's client connections to close on their own, then
 * drops it `WITH (FORCE)`, which ends any still open (and any background worker). The wait matters:
 * node-postgres's `Pool.end()` resolves before the server has closed its backends (pg-pool does not
 * wait for each client's `end()`); a forced drop in that window terminates a backend under a closing
 * client, which receives 57P01 ("terminating connection due to administrator command") and, on a pool
 * with no `error` listener, crashes its process with an unhandled `error` event.
 */
export async function dropDatabaseOn(maintenance: pg.Client, database: string, graceMs = DROP_GRACE_MS): Promise<void> {
  for (const started = Date.now(); Date.now() - started < graceMs; ) {
    const { rows } = await maintenance.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`, [database]);
    if (rows[0].n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await maintenance.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
}

/**
 * Drops the database named in `databaseUrl` (see `dropDatabaseOn`: connections get `graceMs` to close,
 * then are ended).
 * @returns whether it existed.
 */
export async function dropDatabase(databaseUrl: string, graceMs = DROP_GRACE_MS): Promise<boolean> {
  const { database, maintenanceUrl } = splitDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    await dropDatabaseOn(client, database, graceMs);
    return Boolean(found.rowCount);
  } finally {
    await client.end();
  }
}

/** Drops the database, creates it again and migrates it: a clean slate (benchmarks, `demo --fresh`). */
export async function recreateDatabase(databaseUrl: string, secrets: SecretBox): Promise<PreparedDatabase> {
  await dropDatabase(databaseUrl);
  return prepareDatabase(databaseUrl, secrets);
}

/** What {@link runMigrations} did, and the key every connection to the database needs. */
export interface MigratedDatabase {
  /** Names of the migrations applied by this call. */
  applied: string[];
  /**
   * The erasure hash key, decrypted: give it to every connection with {@link erasureKeyOptions}
   * (the database stores it only encrypted, migration 1764900000160).
   */
  erasureKey: string;
}

/** A migration's timestamp: the digits its name ends with (as TypeORM orders them). */
const timestampOf = (migration: (typeof migrations)[number]) => Number(/(\d{13})$/.exec(new migration().name)?.[1]);

/** The migrations up to the one that seals the erasure key, by timestamp (run first on a database without it). */
const migrationsUntilErasureKey = migrations.filter((migration) => timestampOf(migration) <= timestampOf(ErasureKeySealed1764900000160));

/**
 * Runs pending migrations once, under a Postgres advisory lock so that concurrent
 * deploys (several api or worker processes starting together) never race. Migrations connect with
 * the erasure key (decrypted with `secrets`); on a database that has none yet, the migrations up to
 * ErasureKeySealed1764900000160 (which draws or seals it with `secrets`) run first, the rest then
 * with the key.
 * @throws SecretsException when the stored erasure key does not open with `secrets`' keys, or
 *   KEY_MISSING when it must be sealed and there is no current key (production without CAMBRIAN_SECRETS_KEY).
 */
export async function runMigrations(databaseUrl: string, secrets: SecretBox): Promise<MigratedDatabase> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied: string[] = [];
    let erasureKey = await readErasureKey(lock, secrets);
    if (erasureKey === null) {
      applied.push(...(await migrate(databaseUrl, migrationsUntilErasureKey, secrets, undefined)));
      erasureKey = await readErasureKey(lock, secrets);
      if (erasureKey === null) throw new Error('migration ErasureKeySealed1764900000160 left no erasure_key table');
    }
    applied.push(...(await migrate(databaseUrl, migrations, secrets, erasureKeyOptions(erasureKey))));
    return { applied, erasureKey };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

async function migrate(databaseUrl: string, list: typeof migrations, secrets: SecretBox, options: string | undefined): Promise<string[]> {
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, migrations: list, logging: false, extra: options ? { options } : {} });
  provideMigrationSecrets(dataSource, secrets);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** Lists migrations that are defined but not applied yet (for readiness checks). */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, migrations, logging: false });
  await dataSource.initialize();
  try {
    const executed = await dataSource.query(
      `SELECT name FROM migrations WHERE to_regclass('migrations') IS NOT NULL`,
    ).catch(() => [] as Array<{ name: string }>);
    const names = new Set((executed as Array<{ name: string }>).map((row) => row.name));
    return migrations.map((migration) => new migration().name).filter((name) => !names.has(name));
  } finally {
    await dataSource.destroy();
  }
}

/** What {@link prepareDatabase} did. */
export interface PreparedDatabase extends MigratedDatabase {
  /** Whether the database was created by this call. */
  created: boolean;
}

/**
 * Creates the database if missing and applies pending migrations (see {@link runMigrations}).
 * @param secrets the process's secrets box (CAMBRIAN_SECRETS_KEY, CAMBRIAN_SECRETS_OLD_KEYS), which
 *   opens (or, on a new database, seals) the erasure key.
 * @returns also the decrypted erasure key, for the connections the caller opens ({@link erasureKeyOptions}).
 */
export async function prepareDatabase(databaseUrl: string, secrets: SecretBox): Promise<PreparedDatabase> {
  const created = await ensureDatabase(databaseUrl);
  const migrated = await runMigrations(databaseUrl, secrets);
  return { created, ...migrated };
}
