import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shards of each version counter: writers on different shards commit without waiting for one another. */
export const VERSION_SHARDS = 16;

/** The two cache version counters, each with its change log (migrations 1764630000001 and 1764900000190). */
const COUNTERS = [
  { counter: 'leaderboard_version', changes: 'leaderboard_change', bump: 'leaderboard_version_bump' },
  { counter: 'stage_version', changes: 'stage_change', bump: 'stage_version_bump' },
] as const;

/**
 * Sharded version counters. `leaderboard_version` and `stage_version` were each one row that every
 * writing transaction updated at commit (a deferred constraint trigger), so concurrent writers queued on
 * its row lock from their commit's UPDATE until their commit was durable: measured with pgbench on a
 * copy of the mechanism, −22% of single-row write transactions at one client and −77% at eight.
 *
 * Now each counter has {@link VERSION_SHARDS} shard rows (`<counter>_shard`: `shard`, `bumps`); the
 * commit trigger increments the shard of its connection (`pg_backend_pid() % 16`), and the version is
 * the row's `version` plus the sum of its shards' `bumps`. Every committing writer still adds exactly 1,
 * in its own transaction, so the version still changes exactly when a write becomes visible and never
 * returns to an earlier value (snapshots follow one commit order, and the sum grows with each commit);
 * two writers only wait for each other when their connections share a shard.
 * Readers: `versionCounterSql` (libs/members/src/queries/versioned-cache.ts).
 */
export class VersionCounterShards1764900000200 implements MigrationInterface {
  name = 'VersionCounterShards1764900000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { counter, changes, bump } of COUNTERS) {
      await queryRunner.query(`
        CREATE TABLE ${counter}_shard (
          shard  smallint PRIMARY KEY CHECK (shard >= 0 AND shard < ${VERSION_SHARDS}),
          bumps  bigint NOT NULL DEFAULT 0
        );
        INSERT INTO ${counter}_shard (shard) SELECT generate_series(0, ${VERSION_SHARDS - 1});
        CREATE OR REPLACE FUNCTION ${bump}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          UPDATE ${counter}_shard SET bumps = bumps + 1 WHERE shard = pg_backend_pid() % ${VERSION_SHARDS};
          DELETE FROM ${changes} WHERE xid = NEW.xid;
          RETURN NULL;
        END $fn$;
      `);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { counter, changes, bump } of COUNTERS) {
      await queryRunner.query(`
        CREATE OR REPLACE FUNCTION ${bump}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          UPDATE ${counter} SET version = version + 1;
          DELETE FROM ${changes} WHERE xid = NEW.xid;
          RETURN NULL;
        END $fn$;
        -- the shards' bumps folded into the row, so the version goes on from where it stood
        UPDATE ${counter} SET version = version + (SELECT coalesce(sum(bumps), 0) FROM ${counter}_shard);
        DROP TABLE ${counter}_shard;
      `);
    }
  }
}
