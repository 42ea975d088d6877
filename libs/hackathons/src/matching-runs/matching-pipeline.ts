import type { MatchingPin, MatchingProblem, MatchingSolution } from '../matching/matching-problem.js';
import { buildMatchingProblem, matchingInputHash, type RequestInput, type ResourceInput, type TeamInput } from './build-matching-problem.js';
import type { StoredTeamExplanation } from './matching-run.types.js';

/** What a matching run is built from (rows of the hackathon's tables). */
export interface MatchingInput {
  teams: TeamInput[];
  resources: ResourceInput[];
  requests: RequestInput[];
  pins: MatchingPin[];
}

/**
 * A solved run, ready to store: allocations and explanations as columns (arrays of strings and
 * numbers are cheap to copy between threads; the explanations are already JSON), the objective,
 * the input hash and the sizes.
 */
export interface StorableMatchingResult {
  inputHash: string;
  objective: number;
  allocations: { teamIds: string[]; resourceIds: string[]; units: number[]; pinned: boolean[] };
  explanations: { teamIds: string[]; json: string[] };
  sizes: { teams: number; resources: number; candidates: number; pins: number; allocations: number; unitsAllocated: number };
  solver: MatchingSolution['stats'];
  /** Wall time of the solver alone, in milliseconds. */
  solveMs: number;
  /** `threadId` of the worker thread that computed it (0 is a process's main thread); set by the thread. */
  threadId?: number;
}

/**
 * Builds the problem from the rows ({@link buildMatchingProblem}), hashes it, solves it with
 * `solve`, and shapes the result for storage: one explanation per team of the problem (the
 * solver's, or an empty one) with the resources the team may not receive. Pure apart from
 * `solve`, so the whole CPU-bound part of a run can happen in a worker thread.
 */
export function runMatchingPipeline(input: MatchingInput, solve: (problem: MatchingProblem) => MatchingSolution): StorableMatchingResult {
  const built = buildMatchingProblem(input);
  const inputHash = matchingInputHash(built.problem);
  const started = performance.now();
  const solution = solve(built.problem);
  const solveMs = Math.round(performance.now() - started);
  const allocations = solution.allocations.filter((a) => a.units > 0);
  const byTeam = new Map(solution.explanations.map((e) => [e.teamId, e]));
  const ineligibleByTeam = new Map<string, StoredTeamExplanation['ineligible']>();
  for (const item of built.ineligible) ineligibleByTeam.set(item.teamId, [...(ineligibleByTeam.get(item.teamId) ?? []), item]);
  const teamIds = built.problem.teams.map((team) => team.id);
  return {
    inputHash,
    objective: solution.objective,
    allocations: {
      teamIds: allocations.map((a) => a.teamId),
      resourceIds: allocations.map((a) => a.resourceId),
      units: allocations.map((a) => a.units),
      pinned: allocations.map((a) => a.pinned),
    },
    explanations: {
      teamIds,
      json: teamIds.map((teamId) =>
        JSON.stringify({ ...(byTeam.get(teamId) ?? { teamId, received: [], shortfalls: [] }), ineligible: ineligibleByTeam.get(teamId) ?? [] } satisfies StoredTeamExplanation),
      ),
    },
    sizes: {
      teams: built.problem.teams.length,
      resources: built.problem.resources.length,
      candidates: built.problem.candidates.length,
      pins: built.problem.pins?.length ?? 0,
      allocations: allocations.length,
      unitsAllocated: allocations.reduce((sum, a) => sum + a.units, 0),
    },
    solver: solution.stats,
    solveMs,
  };
}
