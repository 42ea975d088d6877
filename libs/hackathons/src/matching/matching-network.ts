import type { FlowNetwork } from './flow-network.js';
import type { MatchingProblem, MatchingWeights } from './matching-problem.js';
import { minimumFirstUnitBonus, resolveWeights, unitUtility } from './matching-weights.js';
import { MatchingException, MatchingExceptionCode } from './matching.exception.js';

/**
 * A matching problem as a min-cost circulation, plus the indexes needed to read the flow back.
 *
 * Nodes: 0 source, 1 sink, `2 + t` team t, `2 + teams + r` resource r (input order).
 * Arcs, in this order (stable, so the solvers are deterministic):
 *  - per team with something left to receive: source → team "first unit" (capacity 1, cost
 *    −firstUnitBonus; absent when pins already give the team a unit), then source → team "further
 *    units" (cost 0). Convex tiers: the first unit is always the cheaper one to use;
 *  - per candidate not fixed by a pin: team → resource, capacity min(maxUnits, perTeamMax,
 *    capacity left; 1 when a unit is worth nothing, as only the first-unit bonus can make it
 *    count), cost −unitUtility(rank, tagOverlap);
 *  - per resource with capacity left after pins: resource → sink, capacity = what is left;
 *  - sink → source, cost 0, so that flow is optional: the circulation keeps a unit only where it
 *    earns something (costs ≤ 0 only on useful arcs).
 * Minimising cost maximises utility; objective = −cost + the pins' utility and bonuses.
 */
export interface MatchingNetwork {
  network: FlowNetwork;
  source: number;
  sink: number;
  /** The sink → source arc (the successive-shortest-paths baseline leaves it out). */
  returnArc: number;
  teamCount: number;
  resourceCount: number;
  weights: Omit<MatchingWeights, 'firstUnitBonus'>;
  firstUnitBonus: number;
  /** Candidates grouped by team (input order within a team): team t owns `teamStart[t]..teamStart[t+1]`. */
  teamStart: Int32Array;
  /** Per grouped candidate: its index in `problem.candidates`. */
  candidateIndex: Int32Array;
  candidateTeam: Int32Array;
  candidateResource: Int32Array;
  candidateUtility: Float64Array;
  /** The team → resource arc, or −1 when a pin fixes the pair or nothing can flow. */
  candidateArc: Int32Array;
  /** Units pinned on the pair, or −1 when the pair is not pinned. */
  candidatePinned: Float64Array;
  /** Per team: its first-unit and further-units arcs (−1 when absent). */
  teamFirstArc: Int32Array;
  teamFurtherArc: Int32Array;
  /** Per resource: its resource → sink arc (−1 when nothing is left after pins). */
  resourceArc: Int32Array;
  /** Units pinned per team and per resource. */
  teamPinned: Float64Array;
  resourcePinned: Float64Array;
}

/**
 * Validates `problem` and builds its network (O(teams + resources + candidates), no dense matrix).
 * @throws MatchingException INVALID_PROBLEM (duplicate or unknown id, malformed amount),
 *   INVALID_PIN (the message names the pin), INVALID_WEIGHTS.
 */
export function buildMatchingNetwork(problem: MatchingProblem): MatchingNetwork {
  const { weights, firstUnitBonus: givenBonus } = resolveWeights(problem.weights);
  const teamCount = problem.teams.length;
  const resourceCount = problem.resources.length;
  const teamIndex = indexIds(problem.teams, 'team');
  const resourceIndex = indexIds(problem.resources, 'resource');
  const capacity = new Float64Array(resourceCount);
  const perTeamMax = new Float64Array(resourceCount);
  problem.resources.forEach((resource, r) => {
    capacity[r] = checkAmount(resource.capacity, `resource ${resource.id} capacity`, 0);
    perTeamMax[r] = checkAmount(resource.perTeamMax, `resource ${resource.id} perTeamMax`, 0);
  });

  // group candidates by team with a stable counting sort
  const candidateCount = problem.candidates.length;
  const teamStart = new Int32Array(teamCount + 1);
  const rawTeam = new Int32Array(candidateCount);
  const rawResource = new Int32Array(candidateCount);
  problem.candidates.forEach((c, i) => {
    const t = teamIndex.get(c.teamId);
    const r = resourceIndex.get(c.resourceId);
    if (t === undefined) invalid(`candidate ${i} names unknown team ${c.teamId}`);
    if (r === undefined) invalid(`candidate ${i} names unknown resource ${c.resourceId}`);
    checkAmount(c.maxUnits, `candidate (team ${c.teamId}, resource ${c.resourceId}) maxUnits`, 1);
    checkAmount(c.rank, `candidate (team ${c.teamId}, resource ${c.resourceId}) rank`, 1);
    checkAmount(c.tagOverlap, `candidate (team ${c.teamId}, resource ${c.resourceId}) tagOverlap`, 0);
    rawTeam[i] = t;
    rawResource[i] = r;
    teamStart[t + 1]++;
  });
  for (let t = 0; t < teamCount; t++) teamStart[t + 1] += teamStart[t];
  const fill = teamStart.slice(0, teamCount);
  const candidateIndex = new Int32Array(candidateCount);
  const candidateTeam = new Int32Array(candidateCount);
  const candidateResource = new Int32Array(candidateCount);
  const candidateUtility = new Float64Array(candidateCount);
  for (let i = 0; i < candidateCount; i++) {
    const k = fill[rawTeam[i]]++;
    candidateIndex[k] = i;
    candidateTeam[k] = rawTeam[i];
    candidateResource[k] = rawResource[i];
    const c = problem.candidates[i];
    candidateUtility[k] = unitUtility(weights, c.rank, c.tagOverlap);
  }
  // a (team, resource) pair has one row: find duplicates team by team with a resource stamp
  const seenBy = new Int32Array(resourceCount).fill(-1);
  const positionOf = new Int32Array(resourceCount);
  for (let t = 0; t < teamCount; t++) {
    for (let k = teamStart[t]; k < teamStart[t + 1]; k++) {
      const r = candidateResource[k];
      if (seenBy[r] === t) invalid(`team ${problem.teams[t].id} has two candidates for resource ${problem.resources[r].id}`);
      seenBy[r] = t;
      positionOf[r] = k;
    }
  }

  const wantedOf = (k: number) => problem.candidates[candidateIndex[k]].maxUnits;
  const pins = applyPins(problem, teamIndex, resourceIndex, teamStart, candidateResource, wantedOf, capacity, perTeamMax);
  const { candidatePinned, teamPinned, resourcePinned } = pins;

  // arcs: count first, then fill in the documented order
  const candidateCap = new Float64Array(candidateCount);
  let maxUnitUtility = 0;
  let utilityBound = 0;
  for (let k = 0; k < candidateCount; k++) {
    const r = candidateResource[k];
    // over every candidate, so that pins and capacities do not change the bonus between runs
    maxUnitUtility = Math.max(maxUnitUtility, candidateUtility[k]);
    if (candidatePinned[k] >= 0) {
      utilityBound += candidatePinned[k] * candidateUtility[k];
      continue;
    }
    candidateCap[k] = Math.min(wantedOf(k), perTeamMax[r], capacity[r] - resourcePinned[r]);
    // a unit worth nothing can only earn the first-unit bonus: never hand out more than one
    if (candidateUtility[k] === 0) candidateCap[k] = Math.min(candidateCap[k], 1);
    if (candidateCap[k] > 0) utilityBound += candidateCap[k] * candidateUtility[k];
  }
  const firstUnitBonus = checkBonus(givenBonus, resourceCount, teamCount, maxUnitUtility, utilityBound);

  let arcCount = 1;
  const teamOpen = new Float64Array(teamCount);
  for (let k = 0; k < candidateCount; k++) {
    if (candidateCap[k] > 0) {
      arcCount++;
      teamOpen[candidateTeam[k]] += candidateCap[k];
    }
  }
  for (let t = 0; t < teamCount; t++) {
    if (teamOpen[t] === 0) continue;
    const first = teamPinned[t] > 0 ? 0 : 1;
    arcCount += first + (teamOpen[t] - first > 0 ? 1 : 0);
  }
  for (let r = 0; r < resourceCount; r++) if (capacity[r] - resourcePinned[r] > 0) arcCount++;

  const nodeCount = 2 + teamCount + resourceCount;
  const tail = new Int32Array(arcCount);
  const head = new Int32Array(arcCount);
  const cap = new Float64Array(arcCount);
  const cost = new Float64Array(arcCount);
  let e = 0;
  const addArc = (from: number, to: number, capacity_: number, cost_: number): number => {
    tail[e] = from;
    head[e] = to;
    cap[e] = capacity_;
    cost[e] = cost_;
    return e++;
  };
  const teamFirstArc = new Int32Array(teamCount).fill(-1);
  const teamFurtherArc = new Int32Array(teamCount).fill(-1);
  const resourceArc = new Int32Array(resourceCount).fill(-1);
  for (let t = 0; t < teamCount; t++) {
    if (teamOpen[t] === 0) continue;
    const first = teamPinned[t] > 0 ? 0 : 1;
    if (first) teamFirstArc[t] = addArc(0, 2 + t, 1, -firstUnitBonus);
    if (teamOpen[t] - first > 0) teamFurtherArc[t] = addArc(0, 2 + t, teamOpen[t] - first, 0);
  }
  const candidateArc = new Int32Array(candidateCount).fill(-1);
  for (let k = 0; k < candidateCount; k++) {
    if (candidateCap[k] > 0) {
      candidateArc[k] = addArc(2 + candidateTeam[k], 2 + teamCount + candidateResource[k], candidateCap[k], -candidateUtility[k]);
    }
  }
  let sinkCapacity = 0;
  for (let r = 0; r < resourceCount; r++) {
    const left = capacity[r] - resourcePinned[r];
    if (left > 0) {
      resourceArc[r] = addArc(2 + teamCount + r, 1, left, 0);
      sinkCapacity += left;
    }
  }
  const returnArc = addArc(1, 0, sinkCapacity, 0);

  return {
    network: { nodeCount, arcCount, tail, head, capacity: cap, cost },
    source: 0,
    sink: 1,
    returnArc,
    teamCount,
    resourceCount,
    weights,
    firstUnitBonus,
    teamStart,
    candidateIndex,
    candidateTeam,
    candidateResource,
    candidateUtility,
    candidateArc,
    candidatePinned,
    teamPinned,
    resourcePinned,
    teamFirstArc,
    teamFurtherArc,
    resourceArc,
  };
}

function applyPins(
  problem: MatchingProblem,
  teamIndex: Map<string, number>,
  resourceIndex: Map<string, number>,
  teamStart: Int32Array,
  candidateResource: Int32Array,
  wantedOf: (k: number) => number,
  capacity: Float64Array,
  perTeamMax: Float64Array,
) {
  const candidatePinned = new Float64Array(candidateResource.length).fill(-1);
  const teamPinned = new Float64Array(problem.teams.length);
  const resourcePinned = new Float64Array(problem.resources.length);
  const pinnedBy: string[][] = problem.resources.map(() => []);
  for (const pin of problem.pins ?? []) {
    const name = `pin (team ${pin.teamId}, resource ${pin.resourceId}, ${pin.units} units)`;
    const t = teamIndex.get(pin.teamId);
    const r = resourceIndex.get(pin.resourceId);
    if (t === undefined) pinError(`${name} names an unknown team`);
    if (r === undefined) pinError(`${name} names an unknown resource`);
    if (!Number.isSafeInteger(pin.units) || pin.units < 0) pinError(`${name} must fix a whole number of units ≥ 0`);
    let k = -1;
    for (let j = teamStart[t]; j < teamStart[t + 1]; j++) if (candidateResource[j] === r) k = j;
    if (k < 0) {
      if (pin.units === 0) continue; // "nothing from a resource the team did not ask for" holds already
      pinError(`${name} is not one of the team's candidates`);
    }
    if (candidatePinned[k] >= 0) pinError(`${name} pins a pair that is already pinned`);
    const wanted = wantedOf(k);
    if (pin.units > wanted) pinError(`${name} gives more than the team asked for (${wanted})`);
    if (pin.units > perTeamMax[r]) pinError(`${name} exceeds the resource's per-team maximum (${perTeamMax[r]})`);
    candidatePinned[k] = pin.units;
    teamPinned[t] += pin.units;
    resourcePinned[r] += pin.units;
    if (pin.units > 0) pinnedBy[r].push(name);
    if (resourcePinned[r] > capacity[r]) {
      pinError(`${pinnedBy[r].join(', ')} exceed the capacity of resource ${pin.resourceId} (${capacity[r]} units)`);
    }
  }
  return { candidatePinned, teamPinned, resourcePinned };
}

function checkBonus(given: number | undefined, resources: number, teams: number, maxUnitUtility: number, utilityBound: number): number {
  const minimum = minimumFirstUnitBonus(resources, teams, maxUnitUtility);
  if (given !== undefined && given < minimum) {
    throw new MatchingException(
      `firstUnitBonus ${given} does not dominate this instance: it must be at least ${minimum} ` +
        `(min(resources, teams) × largest unit utility + 1)`,
      MatchingExceptionCode.INVALID_WEIGHTS,
    );
  }
  const bonus = given ?? minimum;
  // the objective, path costs, node potentials (a tree path holds at most two source arcs) and
  // reduced costs (a cost and two potentials) all stay below this bound
  const bound = bonus * (teams + 6) + utilityBound + 3 * (teams + resources + 2) * maxUnitUtility;
  if (!(bound <= Number.MAX_SAFE_INTEGER)) {
    throw new MatchingException(
      `the instance is too large for exact integer costs: bonuses and utilities could reach ${bound} > 2^53; lower the weights or capacities`,
      MatchingExceptionCode.INVALID_WEIGHTS,
    );
  }
  return bonus;
}

function indexIds(rows: { id: string }[], what: string): Map<string, number> {
  const index = new Map<string, number>();
  rows.forEach((row, i) => {
    if (typeof row.id !== 'string' || row.id === '') invalid(`${what} ${i} has no id`);
    if (index.has(row.id)) invalid(`${what} ${row.id} appears twice`);
    index.set(row.id, i);
  });
  return index;
}

function checkAmount(value: number, what: string, minimum: number): number {
  if (!Number.isSafeInteger(value) || value < minimum) invalid(`${what} must be an integer ≥ ${minimum} (got ${value})`);
  return value;
}

function invalid(message: string): never {
  throw new MatchingException(message, MatchingExceptionCode.INVALID_PROBLEM);
}

function pinError(message: string): never {
  throw new MatchingException(message, MatchingExceptionCode.INVALID_PIN);
}
