import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { JobName, QueueName, type SolveMatchingRunJobData } from '#libs/queue';
import { MatchingRunException, MatchingRunExceptionCode } from '../resources/matching-run.exception.js';
import { UUID_PATTERN } from '../resources/resource.service.js';
import { loadMatchingInputJson } from './load-matching-input.js';
import type { StorableMatchingResult } from './matching-pipeline.js';
import { RUN_COLUMNS, toRun, type MatchingRun, type MatchingRunStats, type RunRow } from './matching-run.types.js';
import { MatchingSolveError, solveInWorkerThread } from './solve-in-worker-thread.js';

/** BullMQ job id of a run's job: deterministic (one job per run), no `:`. */
export const matchingRunJobId = (runId: string) => `matching-run-${runId}`;

/** Solves in one execution of a run's job while organisers keep changing pins, before it fails (and BullMQ retries it). */
const MAX_SOLVES_PER_EXECUTION = 5;

/** The pins of a hackathon as text, to tell whether they changed during a solve. */
async function pinsFingerprint(manager: EntityManager, hackathonId: string): Promise<string> {
  const [row]: Array<{ pins: string }> = await manager.query(
    `SELECT coalesce(string_agg(team_id || '/' || resource_id || '/' || units, ',' ORDER BY team_id, resource_id), '') AS pins
     FROM allocation_pin WHERE hackathon_id = $1`,
    [hackathonId],
  );
  return row.pins;
}

/** What one execution of a run's job did. */
export interface MatchingRunExecution {
  runId: string;
  status: MatchingRun['status'];
  /** False when the run was already finished (a second execution: nothing changed). */
  stored: boolean;
}

/**
 * Matching runs: start (one active run per hackathon), execute (the job: read the tables, build
 * the min-cost-flow problem, solve it in a worker thread, store the draft in one transaction),
 * fail. Review, pins and publishing are in {@link MatchingReviewService}.
 */
@Injectable()
export class MatchingRunService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Hackathons) private readonly queue: Queue<SolveMatchingRunJobData>,
  ) {}

  /**
   * Starts a matching run of a hackathon and enqueues its job, or — when a run is already queued
   * or running — returns that one (`created: false`): two organisers starting at once get one run
   * (the unique partial index `matching_run_one_active`; case J2). The job is (re-)added under its
   * deterministic id, so a lost enqueue heals on the next start and a duplicate add is a no-op; an
   * active run whose job failed for good is marked failed and a new run starts.
   * @throws MatchingRunException HACKATHON_NOT_FOUND.
   */
  async start(hackathonId: string, options: { startedBy?: string | null; parentRunId?: string | null } = {}): Promise<{ run: MatchingRun; created: boolean }> {
    const [hackathon] = UUID_PATTERN.test(hackathonId) ? await this.dataSource.query(`SELECT 1 FROM hackathon WHERE id = $1`, [hackathonId]) : [];
    if (!hackathon) throw new MatchingRunException(`Unknown hackathon ${hackathonId}`, MatchingRunExceptionCode.HACKATHON_NOT_FOUND);
    let created = true;
    let [row]: RunRow[] = await this.dataSource.query(
      `INSERT INTO matching_run (hackathon_id, started_by, parent_run_id) VALUES ($1, $2, $3)
       ON CONFLICT (hackathon_id) WHERE status IN ('queued', 'running') DO NOTHING
       RETURNING ${RUN_COLUMNS}`,
      [hackathonId, options.startedBy ?? null, options.parentRunId ?? null],
    );
    if (!row) {
      created = false;
      [row] = await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM matching_run WHERE hackathon_id = $1 AND status IN ('queued', 'running')`, [hackathonId]);
      // the active run finished between the insert and this read: start again
      if (!row) return this.start(hackathonId, options);
      // its job failed for good without marking the run (stalled too often, discarded): fail the
      // run and start a new one, or the hackathon could never run again
      const job = await this.queue.getJob(matchingRunJobId(row.id));
      if (job && (await job.getState()) === 'failed') {
        await this.markFailed(row.id, `its job failed: ${job.failedReason ?? 'unknown reason'}`);
        return this.start(hackathonId, options);
      }
    }
    try {
      await this.queue.add(
        JobName.SolveMatchingRun,
        { runId: row.id },
        { jobId: matchingRunJobId(row.id), attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 },
      );
    } catch (error) {
      if (created) await this.markFailed(row.id, `could not enqueue the job: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    return { run: toRun(row), created };
  }

  /** @throws MatchingRunException MATCHING_RUN_NOT_FOUND. */
  async get(runId: string): Promise<MatchingRun> {
    const [row]: RunRow[] = UUID_PATTERN.test(runId) ? await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM matching_run WHERE id = $1`, [runId]) : [];
    if (!row) throw new MatchingRunException(`Unknown matching run ${runId}`, MatchingRunExceptionCode.RUN_NOT_FOUND);
    return toRun(row);
  }

  /** A hackathon's runs, newest first (at most `limit`). */
  async list(hackathonId: string, limit = 20): Promise<MatchingRun[]> {
    const rows: RunRow[] = UUID_PATTERN.test(hackathonId)
      ? await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM matching_run WHERE hackathon_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [hackathonId, limit])
      : [];
    return rows.map(toRun);
  }

  /** The hackathon's published run, or null. */
  async published(hackathonId: string): Promise<MatchingRun | null> {
    const [row]: RunRow[] = UUID_PATTERN.test(hackathonId)
      ? await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM matching_run WHERE hackathon_id = $1 AND status = 'published'`, [hackathonId])
      : [];
    return row ? toRun(row) : null;
  }

  /**
   * The job of a run: reads the hackathon's tables, then builds, hashes and solves the problem in
   * a worker thread (off the event loop), and stores allocations, explanations, objective and stats with status `draft` in one
   * transaction that first locks the run and re-checks its status. A second execution of the same
   * run (a worker killed after solving but before acknowledging, a lapsed lock) therefore stores
   * nothing: it finds the run finished, or waits for the first to commit and then does. Pins
   * changed during the solve (an organiser pinning while the run runs) are re-read and solved
   * again, so a draft never misses a pin set before it was stored. Other
   * drafts of the hackathon become `superseded`. A problem the solver refuses (pins beyond a
   * capacity) fails the run; other errors propagate so that BullMQ retries the job.
   * `onProgress` receives 0–100 (also stored in `matching_run.progress`).
   */
  async execute(runId: string, onProgress: (percent: number) => Promise<void> = async () => {}): Promise<MatchingRunExecution> {
    const run = await this.get(runId);
    if (run.status !== 'queued' && run.status !== 'running') return { runId, status: run.status, stored: false };
    await this.dataSource.query(
      `UPDATE matching_run SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1, progress = 5
       WHERE id = $1 AND status IN ('queued', 'running')`,
      [runId],
    );
    const progress = async (percent: number) => {
      await this.dataSource.query(`UPDATE matching_run SET progress = $2 WHERE id = $1 AND status = 'running'`, [runId, percent]);
      await onProgress(percent);
    };
    await progress(10);
    for (let solve = 1; ; solve++) {
      // read before the input: a pin landing in between is in the input but not here, which only costs a re-solve
      const pins = await pinsFingerprint(this.dataSource.manager, run.hackathonId);
      const input = await loadMatchingInputJson(this.dataSource.manager, run.hackathonId);
      await progress(20);
      let result: StorableMatchingResult;
      try {
        result = await solveInWorkerThread(input);
      } catch (error) {
        if (!(error instanceof MatchingSolveError)) throw error;
        await this.markFailed(runId, error.message);
        return { runId, status: 'failed', stored: false };
      }
      await progress(80);
      const stored = await this.dataSource.transaction((manager) => this.storeDraft(manager, run, result, pins));
      if (stored === 'pins-changed') {
        if (solve < MAX_SOLVES_PER_EXECUTION) continue;
        throw new Error(`the pins of hackathon ${run.hackathonId} changed during each of ${solve} solves`);
      }
      await onProgress(100);
      return { runId, status: stored ? 'draft' : (await this.get(runId)).status, stored };
    }
  }

  /** Marks a queued or running run failed with a message (a finished run keeps its status). */
  async markFailed(runId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE matching_run SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
      [runId, error.slice(0, 2000)],
    );
  }

  /**
   * Stores the draft unless the run is finished already (false) or the pins changed since they
   * were read for the solve ('pins-changed': solve again). The run row is updated first, so that a
   * pin committed after the check finds the run still active in `start` only once this
   * transaction ends, and then starts a new run (the unique partial index waits for it).
   */
  private async storeDraft(manager: EntityManager, run: MatchingRun, result: StorableMatchingResult, pinsSolved: string): Promise<boolean | 'pins-changed'> {
    const [locked]: Array<{ status: string }> = await manager.query(`SELECT status FROM matching_run WHERE id = $1 FOR UPDATE`, [run.id]);
    if (locked.status !== 'queued' && locked.status !== 'running') return false;
    await manager.query(`UPDATE matching_run SET progress = 90 WHERE id = $1`, [run.id]);
    if ((await pinsFingerprint(manager, run.hackathonId)) !== pinsSolved) return 'pins-changed';
    const { allocations, explanations } = result;
    await manager.query(
      `INSERT INTO allocation (run_id, team_id, resource_id, units, pinned)
       SELECT $1, t, r, u, p FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::boolean[]) AS x(t, r, u, p)
       ON CONFLICT ON CONSTRAINT allocation_run_team_resource DO NOTHING`,
      [run.id, allocations.teamIds, allocations.resourceIds, allocations.units, allocations.pinned],
    );
    await manager.query(
      `INSERT INTO matching_explanation (run_id, team_id, explanation)
       SELECT $1, t, e FROM unnest($2::uuid[], $3::jsonb[]) AS x(t, e)
       ON CONFLICT (run_id, team_id) DO NOTHING`,
      [run.id, explanations.teamIds, explanations.json],
    );
    const stats: MatchingRunStats = { ...result.sizes, ...result.solver, solveMs: result.solveMs, threadId: result.threadId ?? 0 };
    await manager.query(
      `UPDATE matching_run SET status = 'draft', objective = $2, stats = $3, input_hash = $4, progress = 100, error = NULL, finished_at = now()
       WHERE id = $1`,
      [run.id, result.objective, JSON.stringify(stats), result.inputHash],
    );
    await manager.query(`UPDATE matching_run SET status = 'superseded' WHERE hackathon_id = $1 AND status = 'draft' AND id <> $2`, [run.hackathonId, run.id]);
    return true;
  }
}
