import { greedyInitialFlow } from './matching-initial-flow.js';
import { buildMatchingNetwork } from './matching-network.js';
import { explainTeams } from './matching-explanations.js';
import type { MatchingAllocation, MatchingProblem, MatchingSolution } from './matching-problem.js';
import { networkSimplexCirculation } from './network-simplex.js';
import { successiveShortestPaths } from './successive-shortest-paths.js';

/** Which exact min-cost flow algorithm runs; both give an optimal allocation of equal objective. */
export type MatchingAlgorithm = 'network-simplex' | 'successive-shortest-paths';

export interface SolveMatchingOptions {
  /** `network-simplex` (default; the faster) or `successive-shortest-paths` (the baseline). */
  algorithm?: MatchingAlgorithm;
  /** Network simplex only: start from the zero flow instead of the greedy allocation (for comparison). */
  coldStart?: boolean;
}

/**
 * Solves a hackathon's resource matching exactly: maximises the total utility (per unit:
 * preference rank and shared tags, see DEFAULT_MATCHING_WEIGHTS) plus a first-unit bonus per
 * team that receives anything, under resource capacities, per-team maxima and the teams' own
 * amounts, with the organisers' pins fixed and everything else re-solved around them.
 *
 * The bonus makes the fairness tier strict: every team with a feasible request gets a unit
 * before any team gets a second one (minimumFirstUnitBonus). Modelled as a min-cost circulation
 * (buildMatchingNetwork) and solved by the primal network simplex; pure, synchronous and
 * deterministic (same input, same allocations), so it can run in a worker thread.
 *
 * @returns allocations (team input order, then candidate input order; pinned ones flagged),
 *   the objective (integer, bonuses and pins included), per-team explanations, and the network's
 *   size and the algorithm's iteration count.
 * @throws MatchingException INVALID_PROBLEM, INVALID_PIN (naming the pin), INVALID_WEIGHTS.
 */
export function solveMatching(problem: MatchingProblem, options: SolveMatchingOptions = {}): MatchingSolution {
  const net = buildMatchingNetwork(problem);
  const { network } = net;
  let flow: Float64Array;
  let iterations: number;
  if (options.algorithm === 'successive-shortest-paths') {
    // the same network without the sink → source arc (it is the last arc)
    const open = { ...network, arcCount: network.arcCount - 1 };
    const result = successiveShortestPaths(open, net.source, net.sink);
    flow = result.flow;
    iterations = result.iterations;
  } else {
    const result = networkSimplexCirculation(network, options.coldStart ? undefined : greedyInitialFlow(net));
    flow = result.flow;
    iterations = result.iterations;
  }

  const candidateCount = net.candidateIndex.length;
  const units = new Float64Array(candidateCount);
  const teamUnits = new Float64Array(net.teamCount);
  const allocations: MatchingAllocation[] = [];
  let objective = 0;
  for (let k = 0; k < candidateCount; k++) {
    const pinned = net.candidatePinned[k] >= 0;
    const got = pinned ? net.candidatePinned[k] : net.candidateArc[k] >= 0 ? flow[net.candidateArc[k]] : 0;
    units[k] = got;
    if (got <= 0) continue;
    teamUnits[net.candidateTeam[k]] += got;
    objective += got * net.candidateUtility[k];
    const candidate = problem.candidates[net.candidateIndex[k]];
    allocations.push({ teamId: candidate.teamId, resourceId: candidate.resourceId, units: got, pinned });
  }
  for (let t = 0; t < net.teamCount; t++) if (teamUnits[t] > 0) objective += net.firstUnitBonus;

  return {
    status: 'optimal',
    objective,
    allocations,
    explanations: explainTeams(problem, net, units),
    stats: { nodes: network.nodeCount, arcs: network.arcCount, iterations },
  };
}
