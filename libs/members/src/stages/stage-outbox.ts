/**
 * The stage evaluation outbox (`stage_evaluation_outbox`, migration StageEvaluationOutbox): the
 * evaluations that activity writes ask for, stored with the activities, then enqueued by
 * {@link StageOutboxRelay} and deleted by the evaluation that ran them (see the migration for the columns).
 */

/** The outbox key asking for the evaluation of a member. */
export const memberKey = (memberId: string) => `member:${memberId}`;

/** The outbox key asking for the evaluation of the member who merged a pull request (a `pull_request_merged` activity). */
export const mergedKey = (activityId: string) => `merged:${activityId}`;

/** Member ids and merged-pull-request activity ids named by outbox keys (unknown shapes are ignored). */
export function splitOutboxKeys(keys: readonly string[]): { memberIds: string[]; mergedActivityIds: string[] } {
  const memberIds: string[] = [];
  const mergedActivityIds: string[] = [];
  for (const key of keys) {
    if (key.startsWith('member:')) memberIds.push(key.slice('member:'.length));
    else if (key.startsWith('merged:')) mergedActivityIds.push(key.slice('merged:'.length));
  }
  return { memberIds, mergedActivityIds };
}

/**
 * The conflict clause of every request (`INSERT INTO stage_evaluation_outbox (key) ...`): a key
 * already waiting gets a new `seq` (so an evaluation already enqueued for it does not delete the new
 * request), and `requested_at` is the oldest request not yet handed to a job: kept while the earlier
 * one still waits, now when the earlier one was enqueued (the backlog's age gauge reads it).
 */
export const REQUEST_AGAIN_SQL = `ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq,
    requested_at = CASE WHEN stage_evaluation_outbox.enqueued_seq = stage_evaluation_outbox.seq THEN now()
                        ELSE stage_evaluation_outbox.requested_at END`;

/**
 * SQL of a CTE body that requests, for the rows of the CTE `inserted` (columns `id`, `member_id`,
 * `type` of `activity`), the evaluation of their members and of the mergers of merged pull
 * requests. One row per key, asked again by {@link REQUEST_AGAIN_SQL}. Keys in order, so that two statements
 * requesting the same members take their row locks in the same order.
 */
export const REQUEST_FROM_INSERTED_SQL = `
  INSERT INTO stage_evaluation_outbox (key)
  SELECT key FROM (
    SELECT 'member:' || member_id AS key FROM inserted
    UNION SELECT 'merged:' || id FROM inserted WHERE type = 'pull_request_merged'
  ) k ORDER BY key
  ${REQUEST_AGAIN_SQL}`;

/**
 * The outbox rows named by `$1` (keys, `text[]`) still at the `seq` in `$2` (`bigint[]`), locked in
 * key order — the order the activity inserts lock them in — so that marking or deleting them never
 * deadlocks with an insert; a row whose `seq` an insert changed meanwhile drops out once its lock is
 * released (Postgres re-checks the condition on the new row version).
 */
const LOCK_AT_SEQ_SQL = `
  SELECT o.key FROM stage_evaluation_outbox o
  JOIN unnest($1::text[], $2::bigint[]) AS r(key, seq) ON o.key = r.key AND o.seq = r.seq
  ORDER BY o.key FOR UPDATE OF o`;

/**
 * Deletes the outbox rows of an evaluation that ran, each only at the `seq` it was enqueued with:
 * a row requested again meanwhile (a new `seq`) stays for the next evaluation.
 */
export const DELETE_DONE_SQL = `
  WITH done AS (${LOCK_AT_SEQ_SQL})
  DELETE FROM stage_evaluation_outbox o USING done WHERE o.key = done.key`;

/** Marks the outbox rows `$1` at the `seq` in `$2` as enqueued at that `seq`. */
export const MARK_ENQUEUED_SQL = `
  WITH enqueued AS (${LOCK_AT_SEQ_SQL})
  UPDATE stage_evaluation_outbox o SET enqueued_seq = o.seq, enqueued_at = now() FROM enqueued WHERE o.key = enqueued.key`;

/** What the stage evaluation outbox holds, for monitoring ({@link stageOutboxBacklog}). */
export interface StageOutboxBacklog {
  /** Requests not yet handed to a job. */
  waiting: number;
  /** Requests handed to an `evaluate-stage-outbox` job and not yet done (deleted by it). */
  enqueued: number;
  /** Seconds since the oldest request still in the outbox was made (0 when empty). */
  oldestSeconds: number;
}

/**
 * Counts the stage evaluation outbox's rows (waiting, enqueued) and the age of its oldest request,
 * in one statement. A backlog that grows, or an oldest request older than a few minutes, means the
 * relay or the evaluations are not keeping up (or failing: see `cambrian_job_failures_total{queue="stages"}`).
 */
export async function stageOutboxBacklog(db: { query(sql: string): Promise<unknown[]> }): Promise<StageOutboxBacklog> {
  const [row] = (await db.query(
    `SELECT count(*) FILTER (WHERE enqueued_at IS NULL)::int AS waiting,
            count(*) FILTER (WHERE enqueued_at IS NOT NULL)::int AS enqueued,
            COALESCE(EXTRACT(EPOCH FROM now() - min(requested_at)), 0)::float8 AS oldest_seconds
       FROM stage_evaluation_outbox`,
  )) as Array<{ waiting: number; enqueued: number; oldest_seconds: number }>;
  return { waiting: row?.waiting ?? 0, enqueued: row?.enqueued ?? 0, oldestSeconds: Math.max(0, row?.oldest_seconds ?? 0) };
}
