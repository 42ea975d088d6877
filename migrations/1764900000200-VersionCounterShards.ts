import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shards of each version counter: writers on different shards commit without waiting for one another. */
export const VERSION_SHARDS = 16;

/** The shard a committing transaction bumps: its transaction id's (transactions running at once have nearby ids). */
export const SHARD_OF_TRANSACTION = `(pg_current_xact_id()::text::bigint % ${VERSION_SHARDS})`;

/**
 * The commit trigger function of a sharded counter: it bumps shard `shard` (SQL; {@link SHARD_OF_TRANSACTION}
 * as migrated) and removes the transaction's change mark. `npm run bench -- version-counters` swaps it for
 * shard 0 (one row) to compare.
 */
export function shardedBumpFunctionSql(counter: { counter: string; changes: string; bump: string }, shard = SHARD_OF_TRANSACTION): string {
  return `CREATE OR REPLACE FUNCTION ${counter.bump}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          UPDATE ${counter.counter}_shard SET bumps = bumps + 1 WHERE shard = ${shard};
          DELETE FROM ${counter.changes} WHERE xid = NEW.xid;
          RETURN NULL;
        END $fn$;`;
}

/** The two cache version counters, each with its change log (migrations 1764630000001 and 1764900000190). */
export const COUNTERS = [
  { counter: 'leaderboard_version', changes: 'leaderboard_change', bump: 'leaderboard_version_bump' },
  { counter: 'stage_version', changes: 'stage_change', bump: 'stage_version_bump' },
] as const;

/**
 * Sharded version counters. `leaderboard_version` and `stage_version` were each one row that every
 * writing transaction updated at commit (a deferred constraint trigger), so concurrent writers queued on
 * its row lock from their commit's UPDATE until their commit was durable (a pgbench copy of the mechanism
 * with single-row transactions: −22% at one client, −77% at eight; `npm run bench -- version-counters`
 * measures activity inserts).
 *
 * Now each counter keeps {@link VERSION_SHARDS} shard rows (`<counter>_shard`: `shard`, `bumps`) beside its
 * row (`<counter>_base`); the commit trigger increments the shard of its transaction id (`xid % 16`:
 * transactions running at once have nearby ids, so they seldom share one), and `<counter>` is now a view
 * whose `version` is the base row's plus the sum of the shards' bumps, so every reader, one of a previous
 * release included, reads the same value. Every committing writer still adds exactly 1, in its own
 * transaction, so the version still changes exactly when a write becomes visible and never returns to an
 * earlier value (snapshots follow one commit order, and the sum grows with each commit).
 */
export class VersionCounterShards1764900000200 implements MigrationInterface {
  name = 'VersionCounterShards1764900000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const counterTables of COUNTERS) {
      const { counter } = counterTables;
      await queryRunner.query(`
        ALTER TABLE ${counter} RENAME TO ${counter}_base;
        CREATE TABLE ${counter}_shard (
          shard  smallint PRIMARY KEY CHECK (shard >= 0 AND shard < ${VERSION_SHARDS}),
          bumps  bigint NOT NULL DEFAULT 0
        );
        INSERT INTO ${counter}_shard (shard) SELECT generate_series(0, ${VERSION_SHARDS - 1});
        CREATE VIEW ${counter} AS
          SELECT b.id, b.epoch, b.version + (SELECT coalesce(sum(s.bumps), 0) FROM ${counter}_shard s)::bigint AS version
            FROM ${counter}_base b;
        ${shardedBumpFunctionSql(counterTables)}
      `);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { counter, changes, bump } of COUNTERS) {
      await queryRunner.query(`
        -- waits for writers that bumped a shard and have not committed yet, so the fold below counts them
        LOCK TABLE ${counter}_shard IN EXCLUSIVE MODE;
        DROP VIEW ${counter};
        ALTER TABLE ${counter}_base RENAME TO ${counter};
        -- the shards' bumps folded into the row, so the version goes on from where it stood
        UPDATE ${counter} SET version = version + (SELECT coalesce(sum(bumps), 0) FROM ${counter}_shard);
        CREATE OR REPLACE FUNCTION ${bump}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          UPDATE ${counter} SET version = version + 1;
          DELETE FROM ${changes} WHERE xid = NEW.xid;
          RETURN NULL;
        END $fn$;
        DROP TABLE ${counter}_shard;
      `);
    }
  }
}
