import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Command } from 'commander';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule, DEVELOPMENT_SECRETS_KEY } from '#libs/config';
import { DatabaseModule, ensureDatabase, erasureKeyOptions, runMigrations } from '#libs/db';
import { IdentityService, MemberErasureService } from '#libs/members';
import { openErasureKey, secretBoxFromConfig, secretKeyId } from '#libs/secrets';
import { registerSecretsCommand } from '../../apps/cli/src/commands/secrets.command.js';
import { migrations } from '../../migrations/index.js';
import { provideMigrationSecrets } from '../../migrations/support/migration-secrets.js';
import { createEcosystem, createRepository } from '../helpers/factories.js';
import { testSecretBox } from '../helpers/test-database.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const run = promisify(execFile);

/** The keyed hash as `erasure_key_hash` computes it: sha256(K || sha256(K || identity key)), hex. */
const keyedHash = (key: string, identityKey: string) =>
  createHash('sha256').update(key).update(createHash('sha256').update(key + identityKey).digest()).digest('hex');

const OAK = { id: 9_700_101, login: 'Oak-Sealed' };
const ASH = { id: 9_700_102, login: 'Ash-Sealed' };
const KEY_B = randomBytes(32).toString('base64');
const github = (who: { id: number; login: string }) => ({ kind: 'github' as const, account: { id: who.id, login: who.login, type: 'User', name: null } });

/** Starts Cambrian's database connection as a process does (config from the environment, the key decrypted at start). */
async function start(env: TestEnv, extra: Record<string, string>): Promise<INestApplicationContext> {
  for (const name of ['CAMBRIAN_SECRETS_KEY', 'CAMBRIAN_SECRETS_OLD_KEYS']) delete process.env[name];
  env.apply(extra);
  return (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule] }).compile()).init();
}

async function rotate(): Promise<string> {
  let stdout = '';
  const program = new Command('cambrian').exitOverride();
  registerSecretsCommand(program, { stdout: (text) => (stdout += text), stderr: () => undefined });
  await program.parseAsync(['node', 'cambrian', 'secrets', 'rotate']);
  return stdout;
}

/**
 * The erasure hash key (issue 8, security): a copy of the database alone (a dump, a backup, a disk)
 * holds only the key sealed under CAMBRIAN_SECRETS_KEY, so it lets no one test guesses against the
 * suppression hashes; processes decrypt it at start and give it to each connection.
 */
describe('the erasure hash key is stored only encrypted (e2e, Postgres)', () => {
  let env: TestEnv;
  let app: INestApplicationContext | undefined;
  let oakMember: string;

  beforeAll(async () => {
    env = await createTestEnv();
    app = await start(env, {});
    const db = app.get(DataSource);
    const pgLike = { query: (sql: string, params?: unknown[]) => db.query(sql, params).then((rows: unknown) => ({ rows: rows as never[] })) };
    const ecosystemId = await createEcosystem(pgLike, { slug: 'sealed' });
    await createRepository(pgLike, { id: 9_700_001, owner: 'sealed', name: 'grove', ecosystemId });
    oakMember = (await new IdentityService(db).resolve(github(OAK)))!.memberId;
    await new MemberErasureService(db).erase(oakMember, `member:${oakMember}`);
    await app.close();
    app = undefined;
  });

  afterAll(async () => {
    await app?.close();
    for (const name of ['CAMBRIAN_SECRETS_KEY', 'CAMBRIAN_SECRETS_OLD_KEYS']) delete process.env[name];
    await env?.teardown();
  });

  it('after a deletion, no table, column, function or setting of the database, nor its pg_dump, holds the key; the hashes are under it', async () => {
    const key = env.database.erasureKey;
    const asBytea = Buffer.from(key, 'utf8').toString('hex');
    const db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    try {
      const { rows: tables } = await db.query<{ schema: string; table: string }>(
        `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('information_schema', 'pg_toast')`,
      );
      expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(['erasure_key', 'erasure_suppression', 'pg_proc', 'pg_db_role_setting']));
      expect(tables.map((t) => t.table)).not.toContain('erasure_secret');
      const hits: string[] = [];
      for (const { schema, table } of tables) {
        // the whole row as text: every column of every type (bytea as hex)
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)} t
            WHERE strpos(lower(t::text), $1) > 0 OR strpos(lower(t::text), $2) > 0`,
          [key, asBytea],
        );
        if (rows[0].n > 0) hits.push(`${schema}.${table}`);
      }
      expect(hits).toEqual([]);
      // the suppression hashes are the keyed hashes under that key (so they still match)
      const { rows: suppressed } = await db.query(`SELECT key_hash FROM erasure_suppression WHERE member_id = $1`, [oakMember]);
      expect(suppressed.map((row) => row.key_hash)).toEqual(expect.arrayContaining([keyedHash(key, `github:${OAK.id}`), keyedHash(key, `login:${OAK.login.toLowerCase()}`)]));
      const { rows: sealed } = await db.query(`SELECT key_id, sealed FROM erasure_key`);
      expect(sealed).toHaveLength(1);
      expect(sealed[0].key_id).toBe(secretKeyId(Buffer.from(DEVELOPMENT_SECRETS_KEY, 'base64')));
      expect(openErasureKey(testSecretBox(), { keyId: sealed[0].key_id, sealed: sealed[0].sealed })).toBe(key);
    } finally {
      await db.end();
    }
    const { stdout: dump } = await run('pg_dump', ['--no-owner', env.database.url], { maxBuffer: 256 * 1024 * 1024 });
    expect(dump).toContain('erasure_suppression');
    expect(dump).toContain(keyedHash(key, `github:${OAK.id}`));
    expect(dump.toLowerCase()).not.toContain(key);
    expect(dump.toLowerCase()).not.toContain(asBytea);
  }, 60_000);

  it('after a restart with the same CAMBRIAN_SECRETS_KEY, the stored hashes still match: the erased account resolves to its anonymous member', async () => {
    app = await start(env, {});
    try {
      const db = app.get(DataSource);
      expect(await db.query(`SELECT count(*)::int AS n FROM erasure_suppression WHERE key_hash = erasure_key_hash($1)`, [`github:${OAK.id}`])).toEqual([{ n: 1 }]);
      const again = await new IdentityService(db).resolve(github(OAK));
      expect(again!.memberId).toBe(oakMember);
    } finally {
      await app.close();
      app = undefined;
    }
  });

  it('a connection without cambrian.erasure_key cannot write what the deletion triggers check: the write fails, naming the setting', async () => {
    const db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    try {
      const [{ id: repositoryId }] = (await db.query(`SELECT id FROM repository WHERE name = 'grove'`)).rows;
      const write = db.query(
        `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
           SELECT 'pull_request_merged', now(), $1, i.id, i.member_id, 'webhook', 'pull_request:keyless:merged', $2 FROM identity i LIMIT 1`,
        [repositoryId, JSON.stringify({ number: 1, merged_by: { id: OAK.id, login: OAK.login } })],
      );
      await expect(write).rejects.toMatchObject({ code: '55000', message: expect.stringContaining('cambrian.erasure_key') });
      await expect(db.query(`SELECT erasure_key_hash('github:1')`)).rejects.toMatchObject({ code: '55000' });
      expect((await db.query(`SELECT count(*)::int AS n FROM activity WHERE source_key = 'pull_request:keyless:merged'`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.end();
    }
    // the same write with the key stores the fact made anonymous
    const keyed = new pg.Client({ connectionString: env.database.url, options: env.database.options });
    await keyed.connect();
    try {
      const [{ id: repositoryId }] = (await keyed.query(`SELECT id FROM repository WHERE name = 'grove'`)).rows;
      await keyed.query(
        `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
           SELECT 'pull_request_merged', now(), $1, i.id, i.member_id, 'webhook', 'pull_request:keyed:merged', $2 FROM identity i LIMIT 1`,
        [repositoryId, JSON.stringify({ number: 1, merged_by: { id: OAK.id, login: OAK.login } })],
      );
      const [{ facts }] = (await keyed.query(`SELECT facts FROM activity WHERE source_key = 'pull_request:keyed:merged'`)).rows;
      expect(facts.merged_by.login).toBeNull();
      expect(facts.merged_by.id).toBeLessThan(0);
    } finally {
      await keyed.end();
    }
  });

  it('after rotating CAMBRIAN_SECRETS_KEY (`cambrian secrets rotate`), deletion works with the new key alone and the old hashes match; the old key alone is refused at start', async () => {
    env.apply({ CAMBRIAN_SECRETS_KEY: KEY_B, CAMBRIAN_SECRETS_OLD_KEYS: DEVELOPMENT_SECRETS_KEY });
    expect(await rotate()).toMatch(/; erasure hash key re-encrypted\n$/);
    expect(await rotate()).toMatch(/; erasure hash key already under it\n$/);

    app = await start(env, { CAMBRIAN_SECRETS_KEY: KEY_B });
    try {
      const db = app.get(DataSource);
      const identities = new IdentityService(db);
      expect((await identities.resolve(github(OAK)))!.memberId).toBe(oakMember);
      const ash = (await identities.resolve(github(ASH)))!.memberId;
      await new MemberErasureService(db).erase(ash, `member:${ash}`);
      const suppressed = await db.query(`SELECT key_hash FROM erasure_suppression WHERE member_id = $1`, [ash]);
      expect(suppressed.map((row: { key_hash: string }) => row.key_hash)).toContain(keyedHash(env.database.erasureKey, `github:${ASH.id}`));
    } finally {
      await app.close();
      app = undefined;
    }

    // the development key (CAMBRIAN_SECRETS_KEY unset in tests) no longer opens it: refused at start, naming both variables
    await expect(start(env, {})).rejects.toThrow(
      new RegExp(
        `the erasure hash key \\(table erasure_key\\) is encrypted under key ${secretKeyId(Buffer.from(KEY_B, 'base64'))}, which this process does not have ` +
          `\\(CAMBRIAN_SECRETS_KEY is key k[0-9a-f]{8}; CAMBRIAN_SECRETS_OLD_KEYS is empty\\)`,
      ),
    );
  });

  it('migration 1764900000160 seals the key an existing database keeps in plain (same hashes), and down restores it', async () => {
    const url = `${env.database.url}_migration`;
    const box = testSecretBox();
    await ensureDatabase(url);
    try {
      // a database migrated before 1764900000160, with the key MemberErasure drew then in plain
      const before = new DataSource({ type: 'postgres', url, migrations: migrations.filter((m) => Number(/\d{13}$/.exec(new m().name)![0]) < 1764900000160) });
      await before.initialize();
      const plain = randomBytes(48).toString('hex');
      try {
        await before.runMigrations({ transaction: 'each' });
        await before.query(`INSERT INTO erasure_secret (secret) VALUES ($1)`, [plain]);
        expect(await before.query(`SELECT erasure_key_hash('github:42') AS h`)).toEqual([{ h: keyedHash(plain, 'github:42') }]);
      } finally {
        await before.destroy();
      }

      const { applied, erasureKey } = await runMigrations(url, box);
      expect(applied[0]).toBe('ErasureKeySealed1764900000160');
      expect(erasureKey).toBe(plain);
      const after = new DataSource({ type: 'postgres', url, migrations, extra: { options: erasureKeyOptions(erasureKey) } });
      provideMigrationSecrets(after, box);
      await after.initialize();
      try {
        expect(await after.query(`SELECT to_regclass('erasure_secret') AS t, erasure_key_hash('github:42') AS h`)).toEqual([{ t: null, h: keyedHash(plain, 'github:42') }]);
        // undo the later migrations, then 1764900000160
        for (let undone = ''; undone !== 'ErasureKeySealed1764900000160'; ) {
          undone = (await after.query(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`))[0].name;
          await after.undoLastMigration({ transaction: 'each' });
        }
        expect(await after.query(`SELECT secret, to_regclass('erasure_key') AS t FROM erasure_secret`)).toEqual([{ secret: plain, t: null }]);
      } finally {
        await after.destroy();
      }
      // the former function reads the table again, with no setting
      const bare = new pg.Client({ connectionString: url });
      await bare.connect();
      try {
        expect((await bare.query(`SELECT erasure_key_hash('github:42') AS h`)).rows).toEqual([{ h: keyedHash(plain, 'github:42') }]);
      } finally {
        await bare.end();
      }
    } finally {
      const maintenance = new pg.Client({ connectionString: env.database.url });
      await maintenance.connect();
      await maintenance.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(`${env.database.name}_migration`)} WITH (FORCE)`).finally(() => maintenance.end());
    }
  }, 120_000);

  it('production without a key that opens the stored erasure key refuses to migrate, naming CAMBRIAN_SECRETS_KEY and CAMBRIAN_SECRETS_OLD_KEYS', async () => {
    const production = secretBoxFromConfig({ NODE_ENV: 'production', CAMBRIAN_SECRETS_KEY: undefined, CAMBRIAN_SECRETS_OLD_KEYS: [] });
    await expect(runMigrations(env.database.url, production)).rejects.toThrow(/CAMBRIAN_SECRETS_KEY is not set; CAMBRIAN_SECRETS_OLD_KEYS is empty/);
  });
});
