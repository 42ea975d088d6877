import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ActivityInput, RecordResult } from './activity.types.js';
import { commitKeysToSettle, commitShaOfKey, settleCommitCredits, type SqlRunner } from './commit-credits.js';
import { IdentityService } from './identity.service.js';
import type { ResolvedIdentity } from './identity.types.js';
import { REQUEST_FROM_INSERTED_SQL } from './stages/stage-outbox.js';
import { StageTrigger } from './stages/stage-trigger.js';

/**
 * Records activities idempotently: actors are resolved to identities and members, and rows
 * are inserted with `ON CONFLICT (source_key) DO NOTHING`, so a replayed delivery, a
 * re-run sync or the same fact from another source changes nothing.
 */
@Injectable()
export class ActivityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: IdentityService,
    /** Stage evaluation of the members of new activities (absent when constructed by hand). */
    @Optional() private readonly stageTrigger?: StageTrigger,
  ) {}

  /**
   * Records a batch (any size; inserted in chunks of 500). A member credited twice for one commit
   * (as its author and by a `Co-authored-by` address of theirs, or by two such addresses) keeps one
   * live credit; the other is stored marked removed (see {@link settleCommitCredits}).
   *
   * What the new rows call for is written with them, so that a process killed after the insert
   * loses none of it and a replay (which inserts nothing) asks for nothing again:
   *  - the stage evaluation of their members (and of the mergers of merged pull requests): where
   *    the `stages` queue exists, rows of `stage_evaluation_outbox` written by the insert statement
   *    itself, one per member however many activities (enqueued by StageOutboxRelay); without a
   *    queue (a CLI import), {@link StageTrigger.activitiesWritten} after the insert;
   *  - settling commit credits: when the batch holds co-author credits, the inserts and the settling
   *    run in one transaction, which first takes an advisory lock per commit, so two batches
   *    crediting one commit settle one after the other and the second sees the first's rows.
   * @returns how many rows were new and how many were skipped.
   */
  async record(inputs: ActivityInput[]): Promise<RecordResult> {
    if (inputs.length === 0) return { inserted: 0, skipped: 0 };
    const known = await this.existingKeys(inputs.map((input) => input.sourceKey));
    const fresh = dedupeByKey(inputs.filter((input) => !known.has(input.sourceKey)));
    const resolved = await this.identities.resolveMany(fresh.map((input) => input.actor));
    const rows = fresh.flatMap((input, index) => {
      const who = resolved[index];
      return who ? [{ input, who }] : [];
    });
    if (rows.length === 0) return { inserted: 0, skipped: inputs.length };
    const outbox = this.stageTrigger?.usesOutbox() ?? false;
    const settleKeys = commitKeysToSettle(inputs.map((input) => input.sourceKey));
    const insert = async (runner: SqlRunner): Promise<string[]> => {
      const ids: string[] = [];
      for (let start = 0; start < rows.length; start += 500) ids.push(...(await insertChunk(runner, rows.slice(start, start + 500), outbox)));
      return ids;
    };
    let insertedIds: string[];
    if (settleKeys.length === 0) {
      insertedIds = await insert(this.dataSource);
    } else {
      insertedIds = await this.dataSource.transaction(async (manager) => {
        const shas = [...new Set(settleKeys.map((key) => commitShaOfKey(key)!))].sort();
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('commit-credit:' || sha, 0)) FROM unnest($1::text[]) AS sha ORDER BY sha`, [shas]);
        const ids = await insert(manager);
        if (ids.length > 0) await settleCommitCredits(manager, settleKeys);
        return ids;
      });
    }
    if (!outbox && insertedIds.length > 0) await this.stageTrigger?.activitiesWritten(insertedIds);
    const inserted = insertedIds.length;
    return { inserted, skipped: inputs.length - inserted };
  }

  /**
   * Requests the stage evaluation of what stored activities concern again (each one's member and,
   * for a merged pull request, who merged it), for a fact learned after they were written — the
   * merger of a pull request, known once its details are read. With the `stages` queue, rows of
   * `stage_evaluation_outbox` (relayed by the workers); without one, {@link StageTrigger.activitiesWritten}.
   * @param activityIds `activity.id` values (unknown ids are ignored).
   */
  async requestStageEvaluation(activityIds: string[]): Promise<void> {
    if (activityIds.length === 0 || !this.stageTrigger) return;
    if (!this.stageTrigger.usesOutbox()) {
      await this.stageTrigger.activitiesWritten(activityIds);
      return;
    }
    await this.dataSource.query(
      `WITH inserted AS (SELECT id, member_id, type FROM activity WHERE id = ANY($1::bigint[])) ${REQUEST_FROM_INSERTED_SQL}`,
      [activityIds],
    );
  }

  /**
   * Marks an activity as undone (a star removed) without deleting the fact that it happened.
   * @returns whether a row changed.
   */
  async markRemoved(sourceKey: string, removedAt: Date): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE activity SET removed_at = $2 WHERE source_key = $1 AND removed_at IS NULL`,
      [sourceKey, removedAt.toISOString()],
    );
    return result[1] > 0;
  }

  /** Re-activates an activity marked removed (a repository starred again). */
  async unmarkRemoved(sourceKey: string): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE activity SET removed_at = NULL WHERE source_key = $1 AND removed_at IS NOT NULL`,
      [sourceKey],
    );
    return result[1] > 0;
  }

  /** The stored activities among `keys`: id by source key. */
  private async existingKeys(keys: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; source_key: string }> = await this.dataSource.query(
      `SELECT id::text, source_key FROM activity WHERE source_key = ANY($1::text[])`,
      [keys],
    );
    return new Map(rows.map((row) => [row.source_key, row.id]));
  }
}

/**
 * Inserts one chunk (`ON CONFLICT (source_key) DO NOTHING`) and, with `outbox`, requests the stage
 * evaluations of the inserted rows in the same statement (so both commit together).
 * @returns the ids of the inserted rows.
 */
async function insertChunk(runner: SqlRunner, chunk: Array<{ input: ActivityInput; who: ResolvedIdentity }>, outbox: boolean): Promise<string[]> {
  const insert = `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::jsonb[])
     ON CONFLICT (source_key) DO NOTHING`;
  const sql = outbox
    ? `WITH inserted AS (${insert} RETURNING id, member_id, type), requested AS (${REQUEST_FROM_INSERTED_SQL}) SELECT id::text AS id FROM inserted`
    : `${insert} RETURNING id::text AS id`;
  const result = (await runner.query(sql, [
    chunk.map(({ input }) => input.type),
    chunk.map(({ input }) => input.occurredAt.toISOString()),
    chunk.map(({ input }) => input.repositoryId),
    chunk.map(({ who }) => who.identityId),
    chunk.map(({ who }) => who.memberId),
    chunk.map(({ input }) => input.source),
    chunk.map(({ input }) => input.sourceKey),
    chunk.map(({ input }) => JSON.stringify(input.facts ?? {})),
  ])) as Array<{ id: string }>;
  return result.map((row) => row.id);
}

function dedupeByKey(inputs: ActivityInput[]): ActivityInput[] {
  const seen = new Set<string>();
  return inputs.filter((input) => (seen.has(input.sourceKey) ? false : (seen.add(input.sourceKey), true)));
}
