import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../../migrations/index.js';
import { splitDatabaseUrl } from './database-url.js';

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
      if ((error as { code?: string }).code === '42P04') return false; // created meanwhile
      throw error;
    }
  } finally {
    await client.end();
  }
}

/**
 * Drops the database named in `databaseUrl`, closing its connections (`WITH (FORCE)`).
 * @returns whether it existed.
 */
export async function dropDatabase(databaseUrl: string): Promise<boolean> {
  const { database, maintenanceUrl } = splitDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    return Boolean(found.rowCount);
  } finally {
    await client.end();
  }
}

/** Drops the database, creates it again and migrates it: a clean slate (benchmarks, `demo --fresh`). */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  await dropDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
}

/**
 * Runs pending migrations once, under a Postgres advisory lock so that concurrent
 * deploys (several api or worker processes starting together) never race.
 * @returns the names of the migrations applied by this call.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, migrations, logging: false });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
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

/** Creates the database if missing and applies pending migrations. */
export async function prepareDatabase(databaseUrl: string): Promise<{ created: boolean; applied: string[] }> {
  const created = await ensureDatabase(databaseUrl);
  const applied = await runMigrations(databaseUrl);
  return { created, applied };
}
