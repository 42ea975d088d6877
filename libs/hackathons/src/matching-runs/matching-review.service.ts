import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { MatchingRunException, MatchingRunExceptionCode } from '../resources/matching-run.exception.js';
import { UUID_PATTERN } from '../resources/resource.service.js';
import { formatTeamExplanation } from './format-explanation.js';
import { MatchingRunService } from './matching-run.service.js';
import { RUN_COLUMNS, toRun, type MatchingRun, type RunRow, type StoredAllocation, type StoredTeamExplanation, type TeamNotification } from './matching-run.types.js';

/** A team's explanation in a run, with the sentence for people. */
export interface TeamExplanationView {
  runId: string;
  teamId: string;
  teamName: string;
  explanation: StoredTeamExplanation;
  /** E.g. "got 10 A100 hours (rank 2) because rank 1 (H100 hours) was full"; lines joined with "; ". */
  text: string;
}

export interface AllocationPin {
  hackathonId: string;
  teamId: string;
  resourceId: string;
  units: number;
  pinnedBy: string | null;
  pinnedAt: Date;
}

const pinSchema = z.object({
  teamId: z.uuid('must be a team id (UUID)'),
  resourceId: z.uuid('must be a resource id (UUID)'),
  units: z.number().int('must be a whole number of units').min(0, 'must be ≥ 0 (0 pins "nothing from this resource")'),
});

/**
 * Review of matching runs by organisers: read a draft (allocations, per-team explanations), pin
 * or change allocations (each change re-solves the rest around the pins in a new run, whose draft
 * supersedes the old one), publish, and the notifications teams get.
 *
 * Publishing: exactly one run per hackathon is `published` at a time; publishing a newer draft
 * supersedes the published one. Each team of a published run gets one `allocation_published`
 * notification (outbox row, unique per run and team): publishing the same run again, or two
 * publishes racing, notify once (case J2). A newer published run notifies its teams again, once.
 * Delivery: the row itself and GraphQL `teamNotifications`; the digest e-mail will read
 * undelivered rows and set `delivered_at`.
 */
@Injectable()
export class MatchingReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: MatchingRunService,
  ) {}

  /** A run's allocations by team, then resource. @throws MatchingRunException MATCHING_RUN_NOT_FOUND. */
  async allocations(runId: string, teamId?: string): Promise<StoredAllocation[]> {
    await this.runs.get(runId);
    const rows: Array<{ run_id: string; team_id: string; resource_id: string; units: number; pinned: boolean }> = await this.dataSource.query(
      `SELECT run_id, team_id, resource_id, units, pinned FROM allocation WHERE run_id = $1 AND ($2::uuid IS NULL OR team_id = $2) ORDER BY team_id, resource_id`,
      [runId, teamId && UUID_PATTERN.test(teamId) ? teamId : null],
    );
    return rows.map((r) => ({ runId: r.run_id, teamId: r.team_id, resourceId: r.resource_id, units: r.units, pinned: r.pinned }));
  }

  /**
   * What the published run of each team's hackathon gives it, in the order of `teamIds` (empty
   * before publication; for a DataLoader).
   */
  async publishedAllocationsByTeamIds(teamIds: readonly string[]): Promise<StoredAllocation[][]> {
    const valid = teamIds.filter((id) => UUID_PATTERN.test(id));
    const rows: Array<{ run_id: string; team_id: string; resource_id: string; units: number; pinned: boolean }> = valid.length
      ? await this.dataSource.query(
          `SELECT a.run_id, a.team_id, a.resource_id, a.units, a.pinned FROM allocation a
           JOIN matching_run r ON r.id = a.run_id AND r.status = 'published'
           WHERE a.team_id = ANY($1::uuid[]) ORDER BY a.team_id, a.resource_id`,
          [valid],
        )
      : [];
    const byTeam = new Map<string, StoredAllocation[]>();
    for (const r of rows) {
      byTeam.set(r.team_id, [...(byTeam.get(r.team_id) ?? []), { runId: r.run_id, teamId: r.team_id, resourceId: r.resource_id, units: r.units, pinned: r.pinned }]);
    }
    return teamIds.map((id) => byTeam.get(id) ?? []);
  }

  /** Per-team explanations of a run, by team name, formatted with current resource names. @throws MatchingRunException MATCHING_RUN_NOT_FOUND. */
  async explanations(runId: string): Promise<TeamExplanationView[]> {
    const run = await this.runs.get(runId);
    const rows: Array<{ team_id: string; team_name: string; explanation: StoredTeamExplanation }> = await this.dataSource.query(
      `SELECT e.team_id, t.name AS team_name, e.explanation FROM matching_explanation e JOIN team t ON t.id = e.team_id
       WHERE e.run_id = $1 ORDER BY lower(t.name), t.id`,
      [runId],
    );
    const names = new Map<string, string>(
      (await this.dataSource.query(`SELECT id, name FROM resource WHERE hackathon_id = $1`, [run.hackathonId])).map((r: { id: string; name: string }) => [r.id, r.name]),
    );
    return rows.map((row) => ({
      runId,
      teamId: row.team_id,
      teamName: row.team_name,
      explanation: row.explanation,
      text: formatTeamExplanation(row.explanation, names, row.explanation.ineligible ?? []),
    }));
  }

  /** Pins of a hackathon. */
  async pins(hackathonId: string): Promise<AllocationPin[]> {
    const rows: Array<{ hackathon_id: string; team_id: string; resource_id: string; units: number; pinned_by: string | null; pinned_at: Date }> = UUID_PATTERN.test(hackathonId)
      ? await this.dataSource.query(`SELECT * FROM allocation_pin WHERE hackathon_id = $1 ORDER BY team_id, resource_id`, [hackathonId])
      : [];
    return rows.map((r) => ({ hackathonId: r.hackathon_id, teamId: r.team_id, resourceId: r.resource_id, units: r.units, pinnedBy: r.pinned_by, pinnedAt: r.pinned_at }));
  }

  /**
   * Fixes `units` of a resource for a team (0: nothing from it) and re-solves the rest around
   * the pins: starts a new run (or returns the active one, which reads the pins when its job
   * starts) whose draft supersedes the current draft.
   * @throws ZodError (BAD_USER_INPUT); MatchingRunException TEAM_NOT_FOUND, RESOURCE_NOT_FOUND (or of
   *   another hackathon), PIN_INVALID (above the resource's per-team maximum, or the pins on the
   *   resource would exceed its capacity).
   */
  async pin(input: { teamId: string; resourceId: string; units: number }, pinnedBy: string | null = null): Promise<{ run: MatchingRun; created: boolean }> {
    const { teamId, resourceId, units } = pinSchema.parse(input);
    // the resource row is locked while its pins are summed and the pin written, so pins racing on
    // one resource are checked one after the other and stay within its capacity together
    const hackathonId = await this.dataSource.transaction(async (manager) => {
      const [pair]: Array<{ hackathon_id: string; capacity: number; per_team_max: number }> = await manager.query(
        `SELECT t.hackathon_id, r.capacity, r.per_team_max
         FROM team t JOIN resource r ON r.id = $2 AND r.hackathon_id = t.hackathon_id WHERE t.id = $1 FOR UPDATE OF r`,
        [teamId, resourceId],
      );
      if (!pair) await this.explainMissingPair(teamId, resourceId);
      if (units > pair.per_team_max) {
        throw new MatchingRunException(`Pinning ${units} units exceeds the resource's per-team maximum of ${pair.per_team_max}`, MatchingRunExceptionCode.PIN_INVALID);
      }
      const [{ pinned_elsewhere }]: Array<{ pinned_elsewhere: number }> = await manager.query(
        `SELECT coalesce(sum(units), 0)::int AS pinned_elsewhere FROM allocation_pin WHERE resource_id = $1 AND team_id <> $2`,
        [resourceId, teamId],
      );
      if (pinned_elsewhere + units > pair.capacity) {
        throw new MatchingRunException(
          `Pinning ${units} units would exceed the resource's capacity of ${pair.capacity} (${pinned_elsewhere} already pinned to other teams)`,
          MatchingRunExceptionCode.PIN_INVALID,
        );
      }
      await manager.query(
        `INSERT INTO allocation_pin (hackathon_id, team_id, resource_id, units, pinned_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hackathon_id, team_id, resource_id) DO UPDATE SET units = EXCLUDED.units, pinned_by = EXCLUDED.pinned_by, pinned_at = now()`,
        [pair.hackathon_id, teamId, resourceId, units, pinnedBy],
      );
      return pair.hackathon_id;
    });
    return this.runs.start(hackathonId, { startedBy: pinnedBy, parentRunId: await this.currentDraftId(hackathonId) });
  }

  /**
   * Removes a pin and re-solves (a new run, as {@link pin}).
   * @throws MatchingRunException TEAM_NOT_FOUND, RESOURCE_NOT_FOUND, PIN_NOT_FOUND (no such pin).
   */
  async unpin(input: { teamId: string; resourceId: string }, by: string | null = null): Promise<{ run: MatchingRun; created: boolean }> {
    const { teamId, resourceId } = pinSchema.omit({ units: true }).parse(input);
    const removed: Array<{ hackathon_id: string }> = (
      await this.dataSource.query(`DELETE FROM allocation_pin WHERE team_id = $1 AND resource_id = $2 RETURNING hackathon_id`, [teamId, resourceId])
    )[0];
    if (removed.length === 0) return this.explainMissingPair(teamId, resourceId, true);
    const hackathonId = removed[0].hackathon_id;
    return this.runs.start(hackathonId, { startedBy: by, parentRunId: await this.currentDraftId(hackathonId) });
  }

  /**
   * Publishes a draft run: it becomes the hackathon's one `published` run (a previously
   * published one becomes `superseded`), and each team of the run gets one notification.
   * Idempotent: publishing a published run changes nothing and notifies nobody again; two
   * publishes racing are serialised on the hackathon row.
   * @throws MatchingRunException MATCHING_RUN_NOT_FOUND; MATCHING_RUN_STATE_CONFLICT unless the run is a draft (or already published).
   */
  async publish(runId: string, by: string | null = null): Promise<{ run: MatchingRun; notified: number }> {
    const { hackathonId } = await this.runs.get(runId);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM hackathon WHERE id = $1 FOR NO KEY UPDATE`, [hackathonId]);
      const [run]: RunRow[] = await manager.query(`SELECT ${RUN_COLUMNS} FROM matching_run WHERE id = $1`, [runId]);
      if (run.status === 'published') return { run: toRun(run), notified: 0 };
      if (run.status !== 'draft') {
        throw new MatchingRunException(`Only a draft run can be published; run ${runId} is ${run.status}`, MatchingRunExceptionCode.RUN_STATE_CONFLICT);
      }
      await manager.query(`UPDATE matching_run SET status = 'superseded' WHERE hackathon_id = $1 AND status = 'published'`, [hackathonId]);
      const [[published]]: [RunRow[], number] = await manager.query(
        `UPDATE matching_run SET status = 'published', published_at = now(), started_by = coalesce(started_by, $2) WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
        [runId, by],
      );
      const notified: unknown[] = await manager.query(
        `INSERT INTO team_notification (hackathon_id, team_id, run_id, kind)
         SELECT $1, e.team_id, e.run_id, 'allocation_published' FROM matching_explanation e WHERE e.run_id = $2
         ON CONFLICT ON CONSTRAINT team_notification_once DO NOTHING RETURNING id`,
        [hackathonId, runId],
      );
      return { run: toRun(published), notified: notified.length };
    });
  }

  /** A team's notifications, newest first. @throws MatchingRunException TEAM_NOT_FOUND. */
  async notifications(teamId: string): Promise<TeamNotification[]> {
    const [team] = UUID_PATTERN.test(teamId) ? await this.dataSource.query(`SELECT 1 FROM team WHERE id = $1`, [teamId]) : [];
    if (!team) throw new MatchingRunException(`Unknown team ${teamId}`, MatchingRunExceptionCode.TEAM_NOT_FOUND);
    const rows: Array<{ id: string; hackathon_id: string; team_id: string; run_id: string; kind: 'allocation_published'; created_at: Date; delivered_at: Date | null }> =
      await this.dataSource.query(`SELECT * FROM team_notification WHERE team_id = $1 ORDER BY created_at DESC, id`, [teamId]);
    return rows.map((r) => ({ id: r.id, hackathonId: r.hackathon_id, teamId: r.team_id, runId: r.run_id, kind: r.kind, createdAt: r.created_at, deliveredAt: r.delivered_at }));
  }

  private async currentDraftId(hackathonId: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM matching_run WHERE hackathon_id = $1 AND status = 'draft' ORDER BY created_at DESC LIMIT 1`,
      [hackathonId],
    );
    return row?.id ?? null;
  }

  /** @throws MatchingRunException naming which of the two is unknown or that they are of different hackathons. */
  private async explainMissingPair(teamId: string, resourceId: string, pinMissing = false): Promise<never> {
    const [team]: Array<{ hackathon_id: string }> = await this.dataSource.query(`SELECT hackathon_id FROM team WHERE id = $1`, [teamId]);
    if (!team) throw new MatchingRunException(`Unknown team ${teamId}`, MatchingRunExceptionCode.TEAM_NOT_FOUND);
    const [resource]: Array<{ hackathon_id: string }> = await this.dataSource.query(`SELECT hackathon_id FROM resource WHERE id = $1`, [resourceId]);
    if (!resource || resource.hackathon_id !== team.hackathon_id) {
      throw new MatchingRunException(`Unknown resource ${resourceId} in the team's hackathon`, MatchingRunExceptionCode.RESOURCE_NOT_FOUND);
    }
    if (pinMissing) throw new MatchingRunException(`No pin for team ${teamId} on resource ${resourceId}`, MatchingRunExceptionCode.PIN_NOT_FOUND);
    throw new MatchingRunException(`Unknown team or resource`, MatchingRunExceptionCode.RESOURCE_NOT_FOUND);
  }
}
