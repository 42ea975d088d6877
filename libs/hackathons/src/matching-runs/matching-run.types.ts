import type { MatchingTeamExplanation } from '../matching/matching-problem.js';
import type { IneligibleCandidate } from './build-matching-problem.js';

/** queued → running → draft (→ published | superseded), or failed (migration 1764700000030). */
export type MatchingRunStatus = 'queued' | 'running' | 'draft' | 'published' | 'failed' | 'superseded';

/** A matching run as stored. */
export interface MatchingRun {
  id: string;
  hackathonId: string;
  status: MatchingRunStatus;
  /** Who started it (an API token id today; an acting member once sign-in exists). */
  startedBy: string | null;
  /** The draft this run re-solves around new pins, if any. */
  parentRunId: string | null;
  /** SHA-256 of the canonical solver input, once the job has read it. */
  inputHash: string | null;
  /** Total utility of the allocations (including first-unit bonuses), once solved. */
  objective: number | null;
  stats: MatchingRunStats | null;
  /** 0–100. */
  progress: number;
  error: string | null;
  /** Executions of the job that started (a second one after a lost lock or a crash adds one). */
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  publishedAt: Date | null;
}

export interface MatchingRunStats {
  teams: number;
  resources: number;
  candidates: number;
  pins: number;
  allocations: number;
  unitsAllocated: number;
  /** Solver figures: nodes, arcs and iterations of the min-cost flow. */
  nodes: number;
  arcs: number;
  iterations: number;
  /** Wall time of the solve in the worker thread, in milliseconds. */
  solveMs: number;
  /** `threadId` of the worker thread that solved it (never 0, the main thread's). */
  threadId: number;
}

/** What is stored per team and run: the solver's explanation plus the resources the team may not receive. */
export interface StoredTeamExplanation extends MatchingTeamExplanation {
  ineligible: IneligibleCandidate[];
}

export interface StoredAllocation {
  runId: string;
  teamId: string;
  resourceId: string;
  units: number;
  pinned: boolean;
}

export interface TeamNotification {
  id: string;
  hackathonId: string;
  teamId: string;
  runId: string;
  kind: 'allocation_published';
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface RunRow {
  id: string;
  hackathon_id: string;
  status: MatchingRunStatus;
  started_by: string | null;
  parent_run_id: string | null;
  input_hash: string | null;
  objective: string | null;
  stats: MatchingRunStats | null;
  progress: number;
  error: string | null;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  published_at: Date | null;
}

export const RUN_COLUMNS = `id, hackathon_id, status, started_by, parent_run_id, input_hash, objective, stats, progress, error,
  attempts, created_at, started_at, finished_at, published_at`;

export function toRun(row: RunRow): MatchingRun {
  return {
    id: row.id,
    hackathonId: row.hackathon_id,
    status: row.status,
    startedBy: row.started_by,
    parentRunId: row.parent_run_id,
    inputHash: row.input_hash,
    objective: row.objective === null ? null : Number(row.objective),
    stats: row.stats,
    progress: row.progress,
    error: row.error,
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    publishedAt: row.published_at,
  };
}
