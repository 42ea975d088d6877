import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ActivityInput, RecordResult } from './activity.types.js';
import { commitKeysToSettle, settleCommitCredits } from './commit-credits.js';
import { IdentityService } from './identity.service.js';
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
   * What follows the insert (settling commit credits, requesting the stage evaluation) is not in its
   * transaction: a process killed in between leaves stored rows whose effects never ran, and the retry
   * finds them stored. So both also run for the rows of the batch that were already stored; both are
   * idempotent (a settled credit is not written again, an evaluation that changes nothing writes nothing).
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
    const insertedIds: string[] = [];
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500);
      const result: Array<{ id: string }> = await this.dataSource.query(
        `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::jsonb[])
         ON CONFLICT (source_key) DO NOTHING RETURNING id`,
        [
          chunk.map(({ input }) => input.type),
          chunk.map(({ input }) => input.occurredAt.toISOString()),
          chunk.map(({ input }) => input.repositoryId),
          chunk.map(({ who }) => who.identityId),
          chunk.map(({ who }) => who.memberId),
          chunk.map(({ input }) => input.source),
          chunk.map(({ input }) => input.sourceKey),
          chunk.map(({ input }) => JSON.stringify(input.facts ?? {})),
        ],
      );
      insertedIds.push(...result.map((row) => row.id));
    }
    await settleCommitCredits(this.dataSource, commitKeysToSettle(inputs.map((input) => input.sourceKey)));
    await this.stageTrigger?.activitiesWritten([...insertedIds, ...known.values()]);
    const inserted = insertedIds.length;
    return { inserted, skipped: inputs.length - inserted };
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

function dedupeByKey(inputs: ActivityInput[]): ActivityInput[] {
  const seen = new Set<string>();
  return inputs.filter((input) => (seen.has(input.sourceKey) ? false : (seen.add(input.sourceKey), true)));
}
