import type { MatchingProblem } from './matching-problem.js';
import { minimumFirstUnitBonus, resolveWeights, unitUtility } from './matching-weights.js';

/**
 * The matching problem as a linear program, written independently of the flow network so that an
 * LP solver (HiGHS in the tests and the benchmark) can check solveMatching's objective:
 *
 *   maximise  Σ_k utility_k · x_k + bonus · Σ_t y_t
 *   subject to Σ_{k on r} x_k ≤ capacity_r          (one row per resource)
 *              y_t − Σ_{k of t} x_k ≤ 0              (one row per team: a bonus needs a unit)
 *              0 ≤ x_k ≤ min(maxUnits_k, perTeamMax_r), x_k = pin when pinned;  0 ≤ y_t ≤ 1
 *
 * Columns x_k (candidates, input order) then y_t (teams); rows resources then teams. The matrix
 * is a network matrix plus unit columns (totally unimodular), so the LP optimum is integral and
 * equals the integer optimum. Sparse (CSC): never a dense teams × resources matrix.
 */
export function matchingLinearProgram(problem: MatchingProblem) {
  const { weights, firstUnitBonus } = resolveWeights(problem.weights);
  const teamIndex = new Map(problem.teams.map((t, i) => [t.id, i]));
  const resourceIndex = new Map(problem.resources.map((r, i) => [r.id, i]));
  const nC = problem.candidates.length;
  const nT = problem.teams.length;
  const nR = problem.resources.length;
  const utility = problem.candidates.map((c) => unitUtility(weights, c.rank, c.tagOverlap));
  const bonus = firstUnitBonus ?? minimumFirstUnitBonus(nR, nT, Math.max(0, ...utility));
  const pins = new Map((problem.pins ?? []).map((p) => [`${p.teamId}\u0000${p.resourceId}`, p.units]));

  const numCols = nC + nT;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const starts = new Int32Array(numCols + 1);
  const indices = new Int32Array(2 * nC + nT);
  const values = new Float64Array(2 * nC + nT);
  let nz = 0;
  problem.candidates.forEach((c, k) => {
    const r = resourceIndex.get(c.resourceId)!;
    const t = teamIndex.get(c.teamId)!;
    colCost[k] = utility[k];
    const pinned = pins.get(`${c.teamId}\u0000${c.resourceId}`);
    colUpper[k] = pinned ?? Math.min(c.maxUnits, problem.resources[r].perTeamMax);
    colLower[k] = pinned ?? 0;
    starts[k] = nz;
    indices[nz] = r;
    values[nz++] = 1;
    indices[nz] = nR + t;
    values[nz++] = -1;
  });
  for (let t = 0; t < nT; t++) {
    colCost[nC + t] = bonus;
    colUpper[nC + t] = 1;
    starts[nC + t] = nz;
    indices[nz] = nR + t;
    values[nz++] = 1;
  }
  starts[numCols] = nz;
  const numRows = nR + nT;
  const rowUpper = new Float64Array(numRows);
  problem.resources.forEach((r, i) => (rowUpper[i] = r.capacity));
  return {
    numCols,
    numRows,
    colCost,
    colLower,
    colUpper,
    rowLower: new Float64Array(numRows).fill(-Infinity),
    rowUpper,
    matrix: { format: 'csc' as const, numRows, numCols, starts, indices, values },
  };
}
