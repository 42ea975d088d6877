import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { memberRootSql } from '../common/member-root.js';
import { changedFacts, type ContributionFacts } from './eligibility.js';
import { evaluateLive, loadParticipants } from './contribution-evaluator.js';
import type { EvaluatedContribution, StoredFacts } from './contribution.types.js';
import { isClosed, loadHackathonRules } from './hackathon-rules.js';

/** What a freeze did. */
export interface FreezeResult {
  /** `frozen`: this run froze it; `already-frozen`: an earlier run did (nothing changed); `not-closed`: the event is still open. */
  outcome: 'frozen' | 'already-frozen' | 'not-closed';
  /** Decisions stored by this run. */
  decisions: number;
}

/** What a re-evaluation after the freeze found. */
export interface ReevaluationResult {
  /** Changes recorded by this run (0 when nothing moved since the last run). */
  changes: number;
  /** Subjects first seen by this run, stored as not counted (only an override makes them count). */
  seenAfterFreeze: number;
}

interface LastKnown {
  subject_key: string;
  /** The key the live evaluation gives the subject now: a review's member followed through merges. */
  live_key: string;
  eligible: boolean | null;
  reason: string | null;
  /** The facts last known; null when the subject was last recorded as gone. */
  inputs: ContributionFacts | null;
  seq: number;
}

/** Re-evaluation after the freeze stops this many days after the event's end. */
export const REEVALUATE_FOR_DAYS = 120;

/**
 * Freezes eligibility when a hackathon closes, and records what changes afterwards (case H1 in
 * ../shared/cases/hackathons.md). Both steps run in one transaction holding the hackathon's row
 * lock, so two runs at once take turns, and a run killed half-way leaves nothing behind: running
 * either twice, or again after a crash, changes nothing the second time.
 */
@Injectable()
export class ContributionFreezeService {
  private readonly logger = new Logger(ContributionFreezeService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Freezes the hackathon's eligibility if it has closed ({@link isClosed}) and is not frozen yet:
   * stores one decision per pull request and review of a participant, with its reason and the
   * facts it used, and sets `hackathon.eligibility_frozen_at`.
   * @param hackathon slug or id. @throws ContributionException NOT_FOUND.
   */
  async freeze(hackathon: string, now = new Date()): Promise<FreezeResult> {
    return this.dataSource.transaction(async (manager) => {
      const rules = await loadHackathonRules(manager, hackathon, true);
      if (rules.frozenAt) return { outcome: 'already-frozen', decisions: 0 };
      if (!isClosed(rules, now)) return { outcome: 'not-closed', decisions: 0 };
      const live = await evaluateLive(manager, rules, await loadParticipants(manager, rules.id));
      const decisions = await insertDecisions(manager, rules.id, live, false);
      await manager.query(`UPDATE hackathon SET eligibility_frozen_at = now(), updated_at = now() WHERE id = $1`, [rules.id]);
      this.logger.log(`hackathon ${rules.slug}: eligibility frozen with ${decisions} decisions`);
      return { outcome: 'frozen', decisions };
    });
  }

  /**
   * After the freeze: evaluates the live data again and records, per subject, what differs from
   * its last known state (the frozen decision, or the last recorded change) — the facts that
   * changed and the old and new decision. Frozen decisions never change. A subject seen for the
   * first time is stored as not counted (`seen_after_freeze`); a subject no longer found is
   * recorded with `presence` changed and no new decision. Not frozen yet: nothing to do.
   * @throws ContributionException NOT_FOUND.
   */
  async reevaluate(hackathon: string): Promise<ReevaluationResult> {
    return this.dataSource.transaction(async (manager) => {
      const rules = await loadHackathonRules(manager, hackathon, true);
      if (!rules.frozenAt) return { changes: 0, seenAfterFreeze: 0 };
      const live = await evaluateLive(manager, rules, await loadParticipants(manager, rules.id));
      const known: LastKnown[] = await manager.query(
        `SELECT c.subject_key,
           CASE WHEN c.kind = 'review'
             THEN 'review:' || c.repository_id || ':' || c.pull_request_number || ':' || ${memberRootSql('c.member_id')}
             ELSE c.subject_key END AS live_key,
           CASE WHEN l.seq IS NULL THEN c.eligible ELSE l.new_eligible END AS eligible,
           CASE WHEN l.seq IS NULL THEN c.reason ELSE l.new_reason END AS reason,
           CASE WHEN l.seq IS NULL THEN c.facts->'inputs' ELSE l.new_facts END AS inputs,
           COALESCE(l.seq, 0) AS seq
         FROM hackathon_contribution c
         LEFT JOIN LATERAL (
           SELECT x.seq, x.new_eligible, x.new_reason, x.new_facts FROM hackathon_contribution_change x
           WHERE x.hackathon_id = c.hackathon_id AND x.subject_key = c.subject_key ORDER BY x.seq DESC LIMIT 1) l ON true
         WHERE c.hackathon_id = $1`,
        [rules.id],
      );
      // a review's key names its member: after a member merge the live evaluation names the
      // survivor, so subjects are matched by their key now (changes stay under the stored key)
      const lastKnown = new Map(known.map((row) => [row.live_key, row]));
      const unseen = live.filter((item) => !lastKnown.has(item.subjectKey));
      const seenAfterFreeze = await insertDecisions(manager, rules.id, unseen, true);
      let changes = 0;
      const record = async (subjectKey: string, before: LastKnown | null, after: EvaluatedContribution | null, changed: string[]) => {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO hackathon_contribution_change (hackathon_id, subject_key, seq, changed, old_eligible, new_eligible,
             old_reason, new_reason, old_facts, new_facts)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (hackathon_id, subject_key, seq) DO NOTHING RETURNING id`,
          [
            rules.id,
            subjectKey,
            (before?.seq ?? 0) + 1,
            changed,
            before?.eligible ?? null,
            after?.decision.eligible ?? null,
            before?.reason ?? null,
            after?.decision.reason ?? null,
            before?.inputs ? JSON.stringify(before.inputs) : null,
            after ? JSON.stringify(after.facts) : null,
          ],
        );
        changes += inserted.length;
      };
      for (const item of unseen) await record(item.subjectKey, null, item, ['presence']);
      const liveByKey = new Map(live.map((item) => [item.subjectKey, item]));
      for (const before of known) {
        const after = liveByKey.get(before.live_key) ?? null;
        if (!after) {
          if (before.inputs !== null) await record(before.subject_key, before, null, ['presence']);
          continue;
        }
        const changed = before.inputs ? changedFacts(before.inputs, after.facts) : ['presence'];
        if (changed.length > 0 || before.eligible !== after.decision.eligible) await record(before.subject_key, before, after, changed);
      }
      if (changes > 0) this.logger.log(`hackathon ${rules.slug}: ${changes} contribution changes after the freeze recorded`);
      return { changes, seenAfterFreeze };
    });
  }

  /**
   * The scheduled sweep: freezes every closed hackathon not frozen yet, then re-evaluates the
   * frozen ones whose end is at most {@link REEVALUATE_FOR_DAYS} days ago.
   * @throws Error naming the hackathons that failed, after the others were done.
   */
  async sweep(now = new Date()): Promise<{ frozen: number; changes: number }> {
    const due: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM hackathon
       WHERE (eligibility_frozen_at IS NULL AND ((status = 'running' AND ends_at <= $1) OR status IN ('judging', 'finished')))
          OR (eligibility_frozen_at IS NOT NULL AND ends_at > $1::timestamptz - make_interval(days => $2))
       ORDER BY ends_at, id`,
      [now.toISOString(), REEVALUATE_FOR_DAYS],
    );
    let frozen = 0;
    let changes = 0;
    const failures: string[] = [];
    for (const { id } of due) {
      // one hackathon failing does not hold the others back; the job fails (and is retried) at the end
      try {
        if ((await this.freeze(id, now)).outcome === 'frozen') frozen += 1;
        else changes += (await this.reevaluate(id)).changes;
      } catch (error) {
        failures.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`contribution sweep: ${failures.length} of ${due.length} hackathons failed (${failures.join('; ')})`);
    return { frozen, changes };
  }
}

/** Stores decisions (idempotent by (hackathon, subject)); returns how many rows were new. */
async function insertDecisions(manager: EntityManager, hackathonId: string, items: EvaluatedContribution[], seenAfterFreeze: boolean): Promise<number> {
  if (items.length === 0) return 0;
  const stored = (item: EvaluatedContribution, detail: string): StoredFacts => ({ inputs: item.facts, detail, teamId: item.teamId });
  const [{ inserted }]: Array<{ inserted: number }> = await manager.query(
    `WITH inserted AS (
       INSERT INTO hackathon_contribution (hackathon_id, subject_key, kind, repository_id, pull_request_number, member_id,
         occurred_at, eligible, reason, facts, seen_after_freeze, frozen_at)
       SELECT $1, u.subject_key, u.kind, u.repository_id, u.number, u.member_id, u.occurred_at, u.eligible, u.reason, u.facts,
         $11, now()
       FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[], $6::uuid[], $7::timestamptz[], $8::boolean[], $9::text[],
         $10::jsonb[]) AS u(subject_key, kind, repository_id, number, member_id, occurred_at, eligible, reason, facts)
       ON CONFLICT (hackathon_id, subject_key) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS inserted FROM inserted`,
    [
      hackathonId,
      items.map((item) => item.subjectKey),
      items.map((item) => item.kind),
      items.map((item) => item.repositoryId),
      items.map((item) => item.pullRequestNumber),
      items.map((item) => item.memberId),
      items.map((item) => item.occurredAt.toISOString()),
      // first seen after the freeze: not counted, whatever the rules say now (an override can make it count)
      items.map((item) => (seenAfterFreeze ? false : item.decision.eligible)),
      items.map((item) => (seenAfterFreeze ? 'first_seen_after_freeze' : item.decision.reason)),
      items.map((item) => JSON.stringify(stored(item, seenAfterFreeze ? `first seen after the freeze; the rules now say: ${item.decision.detail}` : item.decision.detail))),
      seenAfterFreeze,
    ],
  );
  return inserted;
}
