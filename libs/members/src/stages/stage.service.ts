import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ActivityType } from '../activity.entity.js';
import { classifyActivity, type StageActivityRow } from './classify-activity.js';
import { evaluateStages } from './evaluate-stages.js';
import { CELL_COUNTS, COHORT_COUNTS, cohortCellsSql, refreshCreditsSql, stageCellsSql } from './stage-cells.js';
import { DELETE_DONE_SQL, splitOutboxKeys } from './stage-outbox.js';
import { StageRulesService } from './stage-rules.service.js';
import type { StageEvaluation, StageEvent } from './stage.types.js';

/** Members evaluated per transaction (and advisory locks held at once). */
const MEMBERS_PER_TRANSACTION = 200;

/** Options of an evaluation. */
export interface StageEvaluationOptions {
  /** UTC instant up to which lapses apply; default now. */
  now?: Date;
}

/** What an evaluation changed. */
export interface StageEvaluationResult {
  /** Persons evaluated (bots, the deleted sentinel and merged-away members are cleared, not counted). */
  members: number;
  transitionsInserted: number;
  transitionsDeleted: number;
}

interface LoadedRow {
  activity_id: string;
  member_id: string;
  ecosystem_id: number;
  repository_id: string;
  type: ActivityType;
  occurred_at: Date;
  source_key: string;
  role: 'actor' | 'merger';
  review_state: string | null;
  merge_commit: boolean;
  of_other: boolean | null;
}

/** Columns of `member_stage_daily`, in table order. */
const DAILY_COLUMNS = [
  'ecosystem_id', 'day', 'entered', 'reached_user', 'reached_first', 'reached_regular', 'reached_maintainer',
  'at_observer', 'at_user', 'at_first', 'at_regular', 'at_maintainer', 'at_lapsed',
] as const;

/** `member_stage` rows aggregated into `member_stage_daily`'s columns (GROUP BY 1, 2). */
const DAILY_AGGREGATE = `ecosystem_id, (first_seen_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS entered,
  count(user_at)::int AS reached_user, count(first_contribution_at)::int AS reached_first, count(regular_at)::int AS reached_regular,
  count(maintainer_at)::int AS reached_maintainer, count(*) FILTER (WHERE stage = 'OBSERVER')::int AS at_observer,
  count(*) FILTER (WHERE stage = 'USER')::int AS at_user, count(*) FILTER (WHERE stage = 'FIRST_TIME_CONTRIBUTOR')::int AS at_first,
  count(*) FILTER (WHERE stage = 'REGULAR_CONTRIBUTOR')::int AS at_regular, count(*) FILTER (WHERE stage = 'MAINTAINER')::int AS at_maintainer,
  count(*) FILTER (WHERE stage = 'LAPSED')::int AS at_lapsed`;

type DailyRow = { ecosystem_id: number; day: string } & Record<(typeof DAILY_COLUMNS)[number], number>;

type CohortCellRow = { ecosystem_id: number; first_month: string; offset_day: number } & Record<(typeof COHORT_COUNTS)[number], number>;

type CellRow = { ecosystem_id: number; scope: string; grain: string; first_unit: string; event_unit: string } & Record<(typeof CELL_COUNTS)[number], number>;

interface StoredTransition {
  id: string;
  ecosystem_id: number;
  member_id: string;
  from_stage: string | null;
  to_stage: string;
  at: Date;
  activity_id: string | null;
  rule_version: string;
}

/**
 * Evaluates members' stages (rules: stage-rules.ts) and stores the result: the dated transitions
 * (`member_stage_transition`), the current state (`member_stage`) and the repositories each
 * member was active in (`stage_member_repository`).
 *
 * Every evaluation recomputes a member's whole path in each ecosystem from their activities, so
 * the incremental path (activities written → {@link evaluateActivities}) and a recomputation
 * from scratch ({@link recomputeMembers}) store the same rows, whatever the order and the batches
 * activities arrived in. Members are evaluated under a transaction-scoped advisory lock each
 * (`hashtextextended('stage:<member id>', 0)`, taken in id order) and the stored rows are diffed,
 * so replays and concurrent workers change nothing twice; the unique constraint on
 * (ecosystem, member, at, stage) backs that.
 */
@Injectable()
export class StageService {
  private readonly logger = new Logger('Stages');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: StageRulesService,
  ) {}

  /**
   * Evaluates the members concerned by written activities: each activity's member and, for a
   * merged pull request, the member who merged it (`pull_request.merged_by_account_id`).
   * @param activityIds `activity.id` values (unknown ids are ignored).
   */
  async evaluateActivities(activityIds: string[], options: StageEvaluationOptions = {}): Promise<StageEvaluationResult> {
    if (activityIds.length === 0) return { members: 0, transitionsInserted: 0, transitionsDeleted: 0 };
    return this.evaluateMembers(await this.membersOfActivities(activityIds), options);
  }

  /**
   * Runs what the stage evaluation outbox asked for (an `evaluate-stage-outbox` job): evaluates the
   * members named by `keys` (`member:<id>`, and for `merged:<activity id>` the activity's member and
   * who merged the pull request), then deletes each outbox row still at the `seq` it was enqueued
   * with (a row requested again meanwhile stays for the next job). Running twice changes nothing.
   * When the batch fails, its keys are evaluated one at a time, so that one member whose evaluation
   * keeps failing does not hold back the others of its batch: the rows of those that succeed are
   * deleted, and the error names the keys that failed (their rows stay, for the relay to enqueue again).
   * @param seqs the `seq` of each key, at the same index (bigints as text).
   * @throws Error `stage evaluation failed for <keys>: <first error>` when any key failed.
   */
  async evaluateOutbox(keys: string[], seqs: string[], options: StageEvaluationOptions = {}): Promise<StageEvaluationResult> {
    try {
      return await this.evaluateOutboxBatch(keys, seqs, options);
    } catch (error) {
      if (keys.length <= 1) throw error;
      const total: StageEvaluationResult = { members: 0, transitionsInserted: 0, transitionsDeleted: 0 };
      const failed: string[] = [];
      let firstError: unknown = error;
      for (const [index, key] of keys.entries()) {
        try {
          const result = await this.evaluateOutboxBatch([key], [seqs[index]!], options);
          total.members += result.members;
          total.transitionsInserted += result.transitionsInserted;
          total.transitionsDeleted += result.transitionsDeleted;
        } catch (keyError) {
          if (failed.length === 0) firstError = keyError;
          failed.push(key);
        }
      }
      if (failed.length > 0) {
        const reason = firstError instanceof Error ? firstError.message : String(firstError);
        throw new Error(`stage evaluation failed for ${failed.join(', ')}: ${reason}`, { cause: error });
      }
      return total;
    }
  }

  private async evaluateOutboxBatch(keys: string[], seqs: string[], options: StageEvaluationOptions): Promise<StageEvaluationResult> {
    const { memberIds, mergedActivityIds } = splitOutboxKeys(keys);
    const result = await this.evaluateMembers([...memberIds, ...(await this.membersOfActivities(mergedActivityIds))], options);
    await this.dataSource.query(DELETE_DONE_SQL, [keys, seqs]);
    return result;
  }

  /** The members concerned by activities: each one's member and, for a merged pull request, who merged it. */
  async membersOfActivities(activityIds: string[]): Promise<string[]> {
    if (activityIds.length === 0) return [];
    const rows: Array<{ member_id: string }> = await this.dataSource.query(
      `SELECT a.member_id FROM activity a WHERE a.id = ANY($1::bigint[])
       UNION
       SELECT ga.member_id FROM activity a
         JOIN pull_request p ON p.repository_id = a.repository_id AND p.number = split_part(a.source_key, ':', 3)::int
         JOIN github_account ga ON ga.id = p.merged_by_account_id
       WHERE a.id = ANY($1::bigint[]) AND a.type = 'pull_request_merged' AND ga.member_id IS NOT NULL`,
      [activityIds],
    );
    return rows.map((row) => row.member_id);
  }

  /**
   * Recomputes the stages of members from all their activities — what another part of Cambrian
   * calls after it merged or unmerged members (a merged-away member loses its rows; the member
   * it was merged into gets the combined path).
   */
  async recomputeMembers(memberIds: string[], options: StageEvaluationOptions = {}): Promise<StageEvaluationResult> {
    return this.evaluateMembers(memberIds, options);
  }

  /**
   * Recomputes every member with activities in an ecosystem (or in any ecosystem, with `null`),
   * every member who merged pull requests there (their merges count in their stages), and every
   * member holding stage rows there. With `null`, `member_stage_cell` is rebuilt once at
   * the end ({@link rebuildCells}): funnels served from cells meanwhile answer from the cells as
   * they were before the recomputation (member-by-member funnels follow it chunk by chunk).
   * @param onProgress called after each batch with the members done so far.
   */
  async recomputeEcosystem(ecosystemId: number | null, options: StageEvaluationOptions & { onProgress?: (done: number, total: number) => void } = {}): Promise<StageEvaluationResult> {
    const rows: Array<{ member_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT a.member_id FROM activity a JOIN repository r ON r.id = a.repository_id
       WHERE r.ecosystem_id IS NOT NULL AND ($1::int IS NULL OR r.ecosystem_id = $1)
       UNION SELECT member_id FROM member_stage WHERE $1::int IS NULL OR ecosystem_id = $1
       UNION SELECT ga.member_id FROM pull_request p
         JOIN github_account ga ON ga.id = p.merged_by_account_id
         JOIN repository r ON r.id = p.repository_id
       WHERE p.merged_at IS NOT NULL AND ga.member_id IS NOT NULL AND r.ecosystem_id IS NOT NULL
         AND ($1::int IS NULL OR r.ecosystem_id = $1)
       ORDER BY 1`,
      [ecosystemId],
    );
    const ids = rows.map((row) => row.member_id);
    const total: StageEvaluationResult = { members: 0, transitionsInserted: 0, transitionsDeleted: 0 };
    // everyone: member_stage_cell is rebuilt once at the end instead of kept chunk by chunk
    const rebuild = ecosystemId === null;
    for (let start = 0; start < ids.length; start += MEMBERS_PER_TRANSACTION * 5) {
      const result = await this.evaluateIds(ids.slice(start, start + MEMBERS_PER_TRANSACTION * 5), options, !rebuild);
      total.members += result.members;
      total.transitionsInserted += result.transitionsInserted;
      total.transitionsDeleted += result.transitionsDeleted;
      options.onProgress?.(Math.min(start + MEMBERS_PER_TRANSACTION * 5, ids.length), ids.length);
    }
    if (rebuild) await this.rebuildCells();
    return total;
  }

  /**
   * Rebuilds `member_stage_cell` from `member_stage` in one statement, in one transaction that
   * first takes SHARE locks on the tables the cells are built from, so evaluations running
   * meanwhile wait and the cells match what they hold at commit. Keeping the cells chunk by chunk
   * costs two cell computations and ~60 upserts per member (bench/stages: ~60% of a 100k-member
   * recompute); one set-based build over everyone is a fraction of that. Readers keep the old
   * cells until the commit (a DELETE, not a TRUNCATE).
   */
  private async rebuildCells(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL jit = off`);
      await manager.query(`LOCK TABLE member_stage, stage_member_repository, member_stage_credit IN SHARE MODE`);
      await manager.query(`DELETE FROM member_stage_cell`);
      await manager.query(
        `INSERT INTO member_stage_cell (ecosystem_id, scope, grain, first_unit, event_unit, ${CELL_COUNTS.join(', ')})
         SELECT ecosystem_id, scope, grain, first_unit::date, event_unit::date, ${CELL_COUNTS.join(', ')}
         FROM (${stageCellsSql('true')}) c
         WHERE ${CELL_COUNTS.map((c) => `${c} <> 0`).join(' OR ')}`,
      );
    });
  }

  /**
   * The scheduled lapse check: evaluates every member whose `lapse_due_at` has come (a
   * contributor without contribution for `lapsed.afterWeeks` weeks), which stores their LAPSED
   * transition dated at the instant the period ended.
   * @returns members evaluated.
   */
  async checkLapses(options: StageEvaluationOptions = {}): Promise<number> {
    const now = options.now ?? new Date();
    let evaluated = 0;
    for (let round = 0; round < 1000; round += 1) {
      const rows: Array<{ member_id: string }> = await this.dataSource.query(
        `SELECT DISTINCT member_id FROM (SELECT member_id FROM member_stage WHERE lapse_due_at <= $1 ORDER BY lapse_due_at LIMIT 2000) due`,
        [now.toISOString()],
      );
      if (rows.length === 0) break;
      await this.evaluateMembers(rows.map((row) => row.member_id), { now });
      evaluated += rows.length;
    }
    if (evaluated > 0) this.logger.log(`lapse check: ${evaluated} members evaluated`);
    const refreshed = await this.refreshCredits();
    if (refreshed > 0) this.logger.log(`lapse check: credits of ${refreshed} members refreshed`);
    return evaluated;
  }

  /** Evaluates members (see the class); ids of bots, the deleted sentinel or merged-away members clear their rows. */
  async evaluateMembers(memberIds: string[], options: StageEvaluationOptions = {}): Promise<StageEvaluationResult> {
    return this.evaluateIds(memberIds, options, true);
  }

  /** {@link evaluateMembers}; with `cells` false, `member_stage_cell` is left to {@link rebuildCells}. */
  private async evaluateIds(memberIds: string[], options: StageEvaluationOptions, cells: boolean): Promise<StageEvaluationResult> {
    const now = options.now ?? new Date();
    const ids = [...new Set(memberIds)].sort();
    const total: StageEvaluationResult = { members: 0, transitionsInserted: 0, transitionsDeleted: 0 };
    for (let start = 0; start < ids.length; start += MEMBERS_PER_TRANSACTION) {
      const chunk = ids.slice(start, start + MEMBERS_PER_TRANSACTION);
      const result = await this.dataSource.transaction((manager) => this.evaluateChunk(manager, chunk, now, cells));
      total.members += result.members;
      total.transitionsInserted += result.transitionsInserted;
      total.transitionsDeleted += result.transitionsDeleted;
    }
    return total;
  }

  private async evaluateChunk(manager: EntityManager, ids: string[], now: Date, cells: boolean): Promise<StageEvaluationResult> {
    // the cells' statements are costed far above jit_above_cost (unnest per member), and compiling
    // them took seconds where running them takes milliseconds
    await manager.query(`SET LOCAL jit = off`);
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('stage:' || id, 0)) FROM unnest($1::text[]) AS id ORDER BY id`, [ids]);
    const people: Array<{ id: string }> = await manager.query(
      `SELECT id FROM member WHERE id = ANY($1::uuid[]) AND kind = 'person' AND merged_into_id IS NULL`,
      [ids],
    );
    const personIds = people.map((row) => row.id);
    const rows = personIds.length > 0 ? await this.loadRows(manager, personIds) : [];

    // group events by (ecosystem, member)
    const groups = new Map<string, { ecosystemId: number; memberId: string; events: StageEvent[] }>();
    const repositories = new Map<string, { repositoryId: string; memberId: string; ecosystemId: number; firstAt: Date }>();
    for (const row of rows) {
      const event = classifyActivity({
        activityId: String(row.activity_id),
        type: row.type,
        occurredAt: new Date(row.occurred_at),
        sourceKey: row.source_key,
        role: row.role,
        reviewState: row.review_state,
        mergeCommit: row.merge_commit,
        ofOther: row.of_other,
      } satisfies StageActivityRow);
      if (!event) continue;
      const key = `${row.ecosystem_id}|${row.member_id}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { ecosystemId: row.ecosystem_id, memberId: row.member_id, events: [] }));
      group.events.push(event);
      if (row.role === 'actor') {
        const repoKey = `${row.repository_id}|${row.member_id}`;
        const seen = repositories.get(repoKey);
        if (!seen || event.occurredAt < seen.firstAt) {
          repositories.set(repoKey, { repositoryId: String(row.repository_id), memberId: row.member_id, ecosystemId: row.ecosystem_id, firstAt: event.occurredAt });
        }
      }
    }
    const rulesByEcosystem = await this.rules.forEcosystems([...new Set([...groups.values()].map((group) => group.ecosystemId))], manager);
    const evaluations = [...groups.values()].map((group) => {
      const rules = rulesByEcosystem.get(group.ecosystemId)!;
      return { ...group, version: rules.version, result: evaluateStages(group.events, rules.rules, now) };
    });

    const cellsBefore: CellRow[] = cells ? await manager.query(stageCellsSql('s.member_id = ANY($1::uuid[])'), [ids]) : [];
    const cohortsBefore: CohortCellRow[] = await manager.query(cohortCellsSql('s.member_id = ANY($1::uuid[])'), [ids]);
    const changes = await this.writeTransitions(manager, ids, evaluations);
    await this.writeStates(manager, ids, evaluations);
    await this.writeRepositories(manager, ids, [...repositories.values()]);
    for (const statement of refreshCreditsSql()) await manager.query(statement, [ids]);
    if (cells) await this.applyCells(manager, ids, cellsBefore);
    await this.applyCohortCells(manager, ids, cohortsBefore);
    return { members: personIds.length, ...changes };
  }

  /** The persons' activities in repositories of an ecosystem, and the merges they made of pull requests. */
  private async loadRows(manager: EntityManager, memberIds: string[]): Promise<LoadedRow[]> {
    return manager.query(
      `SELECT a.id AS activity_id, a.member_id, r.ecosystem_id, a.repository_id, a.type, a.occurred_at, a.source_key,
              'actor' AS role, a.facts->>'state' AS review_state, coalesce(a.facts->>'merge' = 'true', false) AS merge_commit,
              CASE WHEN author.member_id IS NULL THEN NULL ELSE author.member_id <> a.member_id END AS of_other
       FROM activity a
       JOIN repository r ON r.id = a.repository_id AND r.ecosystem_id IS NOT NULL
       LEFT JOIN LATERAL (
         SELECT coalesce(
           (SELECT o.member_id FROM activity o
             WHERE o.source_key = 'pull_request:' || a.repository_id || ':' || (a.facts->>'number') || ':opened'),
           (SELECT ga.member_id FROM pull_request p JOIN github_account ga ON ga.id = p.author_account_id
             WHERE p.repository_id = a.repository_id AND p.number = (a.facts->>'number')::int)) AS member_id
         WHERE a.type IN ('review', 'review_comment') AND a.facts->>'number' ~ '^[0-9]{1,9}$'
       ) author ON true
       WHERE a.member_id = ANY($1::uuid[])
       UNION ALL
       SELECT a.id, ga.member_id, r.ecosystem_id, a.repository_id, a.type, p.merged_at, a.source_key,
              'merger', NULL, false, a.member_id <> ga.member_id
       FROM github_account ga
       JOIN pull_request p ON p.merged_by_account_id = ga.id AND p.merged_at IS NOT NULL
       JOIN activity a ON a.source_key = 'pull_request:' || p.repository_id || ':' || p.number || ':merged'
       JOIN repository r ON r.id = a.repository_id AND r.ecosystem_id IS NOT NULL
       WHERE ga.member_id = ANY($1::uuid[])`,
      [memberIds],
    );
  }

  private async writeTransitions(
    manager: EntityManager,
    memberIds: string[],
    evaluations: Array<{ ecosystemId: number; memberId: string; version: number; result: StageEvaluation }>,
  ): Promise<{ transitionsInserted: number; transitionsDeleted: number }> {
    const stored: StoredTransition[] = await manager.query(
      `SELECT id, ecosystem_id, member_id, from_stage, to_stage, at, activity_id, rule_version
       FROM member_stage_transition WHERE member_id = ANY($1::uuid[])`,
      [memberIds],
    );
    const signature = (t: { ecosystemId: number; memberId: string; from: string | null; to: string; at: Date; activityId: string | null; version: number }) =>
      [t.ecosystemId, t.memberId, t.from ?? '', t.to, t.at.toISOString(), t.activityId ?? '', t.version].join('|');
    const wanted = new Map<string, { ecosystemId: number; memberId: string; from: string | null; to: string; at: Date; activityId: string | null; version: number }>();
    for (const evaluation of evaluations) {
      for (const t of evaluation.result.transitions) {
        const row = { ecosystemId: evaluation.ecosystemId, memberId: evaluation.memberId, from: t.from, to: t.to, at: t.at, activityId: t.activityId, version: evaluation.version };
        wanted.set(signature(row), row);
      }
    }
    const stale: string[] = [];
    for (const row of stored) {
      const key = signature({
        ecosystemId: row.ecosystem_id,
        memberId: row.member_id,
        from: row.from_stage,
        to: row.to_stage,
        at: new Date(row.at),
        activityId: row.activity_id === null ? null : String(row.activity_id),
        version: Number(row.rule_version),
      });
      if (wanted.has(key)) wanted.delete(key);
      else stale.push(String(row.id));
    }
    if (stale.length > 0) await manager.query(`DELETE FROM member_stage_transition WHERE id = ANY($1::bigint[])`, [stale]);
    const fresh = [...wanted.values()];
    if (fresh.length > 0) {
      await manager.query(
        `INSERT INTO member_stage_transition (ecosystem_id, member_id, from_stage, to_stage, at, activity_id, rule_version)
         SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[], $7::bigint[])`,
        [
          fresh.map((t) => t.ecosystemId),
          fresh.map((t) => t.memberId),
          fresh.map((t) => t.from),
          fresh.map((t) => t.to),
          fresh.map((t) => t.at.toISOString()),
          fresh.map((t) => t.activityId),
          fresh.map((t) => t.version),
        ],
      );
    }
    return { transitionsInserted: fresh.length, transitionsDeleted: stale.length };
  }

  private async writeStates(
    manager: EntityManager,
    memberIds: string[],
    evaluations: Array<{ ecosystemId: number; memberId: string; version: number; result: StageEvaluation }>,
  ): Promise<void> {
    const rows = evaluations.filter((evaluation) => evaluation.result.stage !== null);
    const before: DailyRow[] = await manager.query(`SELECT ${DAILY_AGGREGATE} FROM member_stage WHERE member_id = ANY($1::uuid[]) GROUP BY 1, 2`, [memberIds]);
    await this.writeStateRows(manager, memberIds, rows);
    await this.applyDaily(manager, memberIds, before);
  }

  /**
   * Refreshes the credit snapshot behind the funnels by organisation (`member_stage_credit`,
   * stage-cells.ts) of members whose affiliations changed since (`stage_credit_dirty`, marked by a
   * trigger on `affiliation`), or of `memberIds`, and their organisation cells. The hourly lapse
   * check runs it; until it has, funnels by organisation count member by member.
   * @returns members refreshed.
   */
  async refreshCredits(memberIds?: string[]): Promise<number> {
    const ids = memberIds
      ? [...new Set(memberIds)].sort()
      : (await this.dataSource.query(`SELECT member_id::text FROM stage_credit_dirty ORDER BY 1`)).map((row: { member_id: string }) => row.member_id);
    for (let start = 0; start < ids.length; start += MEMBERS_PER_TRANSACTION) {
      const chunk = ids.slice(start, start + MEMBERS_PER_TRANSACTION);
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL jit = off`);
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('stage:' || id, 0)) FROM unnest($1::text[]) AS id ORDER BY id`, [chunk]);
        const before: CellRow[] = await manager.query(stageCellsSql('s.member_id = ANY($1::uuid[])'), [chunk]);
        for (const statement of refreshCreditsSql()) await manager.query(statement, [chunk]);
        await this.applyCells(manager, chunk, before);
      });
    }
    return ids.length;
  }

  /** Keeps `member_stage_cohort_cell` exact (stage-cells.ts), as {@link applyCells} does its table. */
  private async applyCohortCells(manager: EntityManager, memberIds: string[], before: CohortCellRow[]): Promise<void> {
    const keys = ['ecosystem_id', 'first_month', 'offset_day'];
    await manager.query(
      `INSERT INTO member_stage_cohort_cell AS c (${keys.join(', ')}, ${COHORT_COUNTS.join(', ')})
       SELECT ecosystem_id, first_month::date, offset_day, ${COHORT_COUNTS.map((c) => `sum(${c})::int`).join(', ')}
       FROM (
         SELECT ${keys.join(', ')}, ${COHORT_COUNTS.join(', ')} FROM (${cohortCellsSql('s.member_id = ANY($1::uuid[])')}) now_cells
         UNION ALL
         SELECT * FROM unnest($2::int[], $3::text[], $4::int[], ${COHORT_COUNTS.map((_, i) => `$${i + 5}::int[]`).join(', ')})
       ) delta (${keys.join(', ')}, ${COHORT_COUNTS.join(', ')})
       GROUP BY 1, 2, 3
       HAVING ${COHORT_COUNTS.map((c) => `sum(${c}) <> 0`).join(' OR ')}
       ORDER BY 1, 2, 3
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${COHORT_COUNTS.map((c) => `${c} = c.${c} + EXCLUDED.${c}`).join(', ')}`,
      [
        memberIds,
        before.map((row) => row.ecosystem_id),
        before.map((row) => row.first_month),
        before.map((row) => row.offset_day),
        ...COHORT_COUNTS.map((c) => before.map((row) => -Number(row[c]))),
      ],
    );
  }

  /**
   * Keeps `member_stage_cell` exact (stage-cells.ts): adds the cells of the chunk's new rows and
   * subtracts those of its old ones (`before`) in one statement, cells locked in key order.
   */
  private async applyCells(manager: EntityManager, memberIds: string[], before: CellRow[]): Promise<void> {
    const keys = ['ecosystem_id', 'scope', 'grain', 'first_unit', 'event_unit'];
    await manager.query(
      `INSERT INTO member_stage_cell AS c (${keys.join(', ')}, ${CELL_COUNTS.join(', ')})
       SELECT ecosystem_id, scope, grain, first_unit::date, event_unit::date, ${CELL_COUNTS.map((c) => `sum(${c})::int`).join(', ')}
       FROM (
         SELECT ${keys.join(', ')}, ${CELL_COUNTS.join(', ')} FROM (${stageCellsSql('s.member_id = ANY($1::uuid[])')}) now_cells
         UNION ALL
         SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], ${CELL_COUNTS.map((_, i) => `$${i + 7}::int[]`).join(', ')})
       ) delta (${keys.join(', ')}, ${CELL_COUNTS.join(', ')})
       GROUP BY 1, 2, 3, 4, 5
       HAVING ${CELL_COUNTS.map((c) => `sum(${c}) <> 0`).join(' OR ')}
       ORDER BY 1, 2, 3, 4, 5
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${CELL_COUNTS.map((c) => `${c} = c.${c} + EXCLUDED.${c}`).join(', ')}`,
      [
        memberIds,
        before.map((row) => row.ecosystem_id),
        before.map((row) => row.scope),
        before.map((row) => row.grain),
        before.map((row) => row.first_unit),
        before.map((row) => row.event_unit),
        ...CELL_COUNTS.map((c) => before.map((row) => -Number(row[c]))),
      ],
    );
  }

  /**
   * Keeps `member_stage_daily` exact: adds the chunk's new rows and subtracts its old ones
   * (`before`) in one statement, day rows locked in key order (no deadlock between workers).
   */
  private async applyDaily(manager: EntityManager, memberIds: string[], before: DailyRow[]): Promise<void> {
    const columns = DAILY_COLUMNS.slice(2);
    await manager.query(
      `INSERT INTO member_stage_daily AS d (${DAILY_COLUMNS.join(', ')})
       SELECT ecosystem_id, day::date, ${columns.map((c) => `sum(${c})::int`).join(', ')}
       FROM (
         SELECT ${DAILY_AGGREGATE} FROM member_stage WHERE member_id = ANY($1::uuid[]) GROUP BY 1, 2
         UNION ALL
         SELECT * FROM unnest($2::int[], $3::text[], ${columns.map((_, i) => `$${i + 4}::int[]`).join(', ')})
       ) delta (${DAILY_COLUMNS.join(', ')})
       GROUP BY 1, 2
       HAVING ${columns.map((c) => `sum(${c}) <> 0`).join(' OR ')}
       ORDER BY 1, 2
       ON CONFLICT (ecosystem_id, day) DO UPDATE SET ${columns.map((c) => `${c} = d.${c} + EXCLUDED.${c}`).join(', ')}`,
      [
        memberIds,
        before.map((row) => row.ecosystem_id),
        before.map((row) => row.day),
        ...columns.map((c) => before.map((row) => -Number(row[c as keyof DailyRow]))),
      ],
    );
  }

  private async writeStateRows(
    manager: EntityManager,
    memberIds: string[],
    rows: Array<{ ecosystemId: number; memberId: string; version: number; result: StageEvaluation }>,
  ): Promise<void> {
    const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
    // lapsed periods as `[lapsed, returned)` ranges: at instant t (transitions at or before t applied)
    // a member is lapsed when lapsed <= t < returned
    const multirange = (lapses: StageEvaluation['lapses']) =>
      `{${lapses.map((lapse) => `[${lapse.lapsedAt.toISOString()},${lapse.returnedAt?.toISOString() ?? ''})`).join(',')}}`;
    await manager.query(
      `DELETE FROM member_stage s WHERE s.member_id = ANY($1::uuid[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::int[], $3::uuid[]) AS k(ecosystem_id, member_id)
                         WHERE k.ecosystem_id = s.ecosystem_id AND k.member_id = s.member_id)`,
      [memberIds, rows.map((row) => row.ecosystemId), rows.map((row) => row.memberId)],
    );
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO member_stage AS s (ecosystem_id, member_id, stage, stage_since, first_seen_at, user_at, first_contribution_at,
         regular_at, maintainer_at, lapsed_during, last_activity_at, last_contribution_at, lapse_due_at, contribution_weeks,
         issues_opened, pull_requests_opened, reviews_of_others, rule_version)
       SELECT e, m, st, since, seen, u, ftc, reg, mnt, lap::tstzmultirange, last_at, last_c, due, string_to_array(weeks, ',')::date[], io, po, ro, v
       FROM unnest($1::int[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[],
         $8::timestamptz[], $9::timestamptz[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::text[],
         $15::int[], $16::int[], $17::int[], $18::bigint[])
         AS t(e, m, st, since, seen, u, ftc, reg, mnt, lap, last_at, last_c, due, weeks, io, po, ro, v)
       ON CONFLICT (ecosystem_id, member_id) DO UPDATE SET
         stage = EXCLUDED.stage, stage_since = EXCLUDED.stage_since, first_seen_at = EXCLUDED.first_seen_at,
         user_at = EXCLUDED.user_at, first_contribution_at = EXCLUDED.first_contribution_at, regular_at = EXCLUDED.regular_at,
         maintainer_at = EXCLUDED.maintainer_at, lapsed_during = EXCLUDED.lapsed_during, last_activity_at = EXCLUDED.last_activity_at,
         last_contribution_at = EXCLUDED.last_contribution_at, lapse_due_at = EXCLUDED.lapse_due_at,
         contribution_weeks = EXCLUDED.contribution_weeks, issues_opened = EXCLUDED.issues_opened,
         pull_requests_opened = EXCLUDED.pull_requests_opened, reviews_of_others = EXCLUDED.reviews_of_others,
         rule_version = EXCLUDED.rule_version, evaluated_at = now()
       WHERE (s.stage, s.stage_since, s.first_seen_at, s.user_at, s.first_contribution_at, s.regular_at, s.maintainer_at,
              s.lapsed_during, s.last_activity_at, s.last_contribution_at, s.lapse_due_at, s.contribution_weeks,
              s.issues_opened, s.pull_requests_opened, s.reviews_of_others, s.rule_version)
         IS DISTINCT FROM
             (EXCLUDED.stage, EXCLUDED.stage_since, EXCLUDED.first_seen_at, EXCLUDED.user_at, EXCLUDED.first_contribution_at,
              EXCLUDED.regular_at, EXCLUDED.maintainer_at, EXCLUDED.lapsed_during, EXCLUDED.last_activity_at,
              EXCLUDED.last_contribution_at, EXCLUDED.lapse_due_at, EXCLUDED.contribution_weeks, EXCLUDED.issues_opened,
              EXCLUDED.pull_requests_opened, EXCLUDED.reviews_of_others, EXCLUDED.rule_version)`,
      [
        rows.map((row) => row.ecosystemId),
        rows.map((row) => row.memberId),
        rows.map((row) => row.result.stage),
        rows.map((row) => iso(row.result.stageSince)),
        rows.map((row) => iso(row.result.reachedAt.OBSERVER)),
        rows.map((row) => iso(row.result.reachedAt.USER)),
        rows.map((row) => iso(row.result.reachedAt.FIRST_TIME_CONTRIBUTOR)),
        rows.map((row) => iso(row.result.reachedAt.REGULAR_CONTRIBUTOR)),
        rows.map((row) => iso(row.result.reachedAt.MAINTAINER)),
        rows.map((row) => multirange(row.result.lapses)),
        rows.map((row) => iso(row.result.lastActivityAt)),
        rows.map((row) => iso(row.result.lastContributionAt)),
        rows.map((row) => iso(row.result.lapseDueAt)),
        rows.map((row) => row.result.contributionWeeks.join(',')),
        rows.map((row) => row.result.issuesOpened),
        rows.map((row) => row.result.pullRequestsOpened),
        rows.map((row) => row.result.reviewsOfOthers),
        rows.map((row) => row.version),
      ],
    );
  }

  private async writeRepositories(
    manager: EntityManager,
    memberIds: string[],
    rows: Array<{ repositoryId: string; memberId: string; ecosystemId: number; firstAt: Date }>,
  ): Promise<void> {
    await manager.query(
      `DELETE FROM stage_member_repository s WHERE s.member_id = ANY($1::uuid[])
         AND NOT EXISTS (SELECT 1 FROM unnest($2::bigint[], $3::uuid[]) AS k(repository_id, member_id)
                         WHERE k.repository_id = s.repository_id AND k.member_id = s.member_id)`,
      [memberIds, rows.map((row) => row.repositoryId), rows.map((row) => row.memberId)],
    );
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO stage_member_repository AS s (repository_id, member_id, ecosystem_id, first_at)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::int[], $4::timestamptz[])
       ON CONFLICT (repository_id, member_id) DO UPDATE SET ecosystem_id = EXCLUDED.ecosystem_id, first_at = EXCLUDED.first_at
       WHERE (s.ecosystem_id, s.first_at) IS DISTINCT FROM (EXCLUDED.ecosystem_id, EXCLUDED.first_at)`,
      [rows.map((row) => row.repositoryId), rows.map((row) => row.memberId), rows.map((row) => row.ecosystemId), rows.map((row) => row.firstAt.toISOString())],
    );
  }
}
