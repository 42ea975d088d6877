import { highsMatchingObjective, loadHighs, type Highs } from '../../../../bench/lib/highs.js';
import { optimalityViolations } from './flow-network.js';
import { greedyInitialFlow } from './matching-initial-flow.js';
import { generateMatchingProblem, seededRandom } from './matching-instances.js';
import { buildMatchingNetwork } from './matching-network.js';
import type { MatchingPin, MatchingProblem } from './matching-problem.js';
import { solveMatching } from './matching-solver.js';
import { networkSimplexCirculation } from './network-simplex.js';
import { minimumFirstUnitBonus, resolveWeights, unitUtility } from './matching-weights.js';

/** A random small problem: up to 4 teams × 3 resources, amounts up to 3, some pins. */
function randomProblem(seed: number, withPins: boolean): MatchingProblem {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const teams = Array.from({ length: int(1, 4) }, (_, t) => ({ id: `t${t}` }));
  const resources = Array.from({ length: int(1, 3) }, (_, r) => ({ id: `r${r}`, capacity: int(0, 5), perTeamMax: int(0, 3) }));
  const candidates = teams.flatMap((team) =>
    resources
      .filter(() => random() < 0.7)
      .map((resource, i) => ({ teamId: team.id, resourceId: resource.id, maxUnits: int(1, 3), rank: i + 1, tagOverlap: int(0, 2) })),
  );
  const pins: MatchingPin[] = [];
  const pinnedOn = new Map<string, number>();
  if (withPins) {
    for (const c of candidates) {
      if (random() > 0.25) continue;
      const resource = resources.find((r) => r.id === c.resourceId)!;
      const room = Math.min(c.maxUnits, resource.perTeamMax, resource.capacity - (pinnedOn.get(c.resourceId) ?? 0));
      const units = int(0, Math.max(0, room));
      pins.push({ teamId: c.teamId, resourceId: c.resourceId, units });
      pinnedOn.set(c.resourceId, (pinnedOn.get(c.resourceId) ?? 0) + units);
    }
  }
  return { teams, resources, candidates, pins };
}

/** The best objective over every allocation (exhaustive; tiny instances only). */
function bruteForce(problem: MatchingProblem): number {
  const { weights } = resolveWeights(problem.weights);
  const utility = problem.candidates.map((c) => unitUtility(weights, c.rank, c.tagOverlap));
  const bonus = minimumFirstUnitBonus(problem.resources.length, problem.teams.length, Math.max(0, ...utility));
  const resource = new Map(problem.resources.map((r) => [r.id, r]));
  const pin = new Map((problem.pins ?? []).map((p) => [`${p.teamId}/${p.resourceId}`, p.units]));
  const used = new Map<string, number>();
  const got = new Map<string, number>();
  let best = -1;
  const visit = (k: number, value: number) => {
    if (k === problem.candidates.length) {
      const covered = problem.teams.filter((t) => (got.get(t.id) ?? 0) > 0).length;
      best = Math.max(best, value + covered * bonus);
      return;
    }
    const c = problem.candidates[k];
    const r = resource.get(c.resourceId)!;
    const pinned = pin.get(`${c.teamId}/${c.resourceId}`);
    const hi = pinned ?? Math.min(c.maxUnits, r.perTeamMax, r.capacity - (used.get(r.id) ?? 0));
    for (let x = pinned ?? 0; x <= hi; x++) {
      used.set(r.id, (used.get(r.id) ?? 0) + x);
      got.set(c.teamId, (got.get(c.teamId) ?? 0) + x);
      if ((used.get(r.id) ?? 0) <= r.capacity) visit(k + 1, value + x * utility[k]);
      used.set(r.id, used.get(r.id)! - x);
      got.set(c.teamId, got.get(c.teamId)! - x);
    }
  };
  visit(0, 0);
  return best;
}

function highsObjective(highs: Highs, problem: MatchingProblem): number {
  return highsMatchingObjective(highs, problem).objective;
}

describe('solveMatching on random small instances', () => {
  let highs: Highs;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  it('equals the brute-force optimum, the baseline, a cold start and HiGHS (400 instances, half with pins)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const problem = randomProblem(seed, seed % 2 === 0);
      const solution = solveMatching(problem);
      const context = `seed ${seed}`;
      expect({ context, objective: solution.objective }).toEqual({ context, objective: bruteForce(problem) });
      expect(solveMatching(problem, { algorithm: 'successive-shortest-paths' }).objective).toBe(solution.objective);
      expect(solveMatching(problem, { coldStart: true }).objective).toBe(solution.objective);
      expect(Math.round(highsObjective(highs, problem))).toBe(solution.objective);
    }
  });

  it('ends with potentials that prove optimality (complementary slackness), from the greedy basis and from zero', () => {
    const problems = [
      ...Array.from({ length: 200 }, (_, i) => randomProblem(1000 + i, i % 2 === 0)),
      ...(['easy', 'tight'] as const).map((tightness) =>
        generateMatchingProblem({ seed: 5, teams: 2000, resources: 200, candidatesPerTeam: 10, tightness }),
      ),
    ];
    for (const problem of problems) {
      const net = buildMatchingNetwork(problem);
      for (const start of [greedyInitialFlow(net), undefined]) {
        const result = networkSimplexCirculation(net.network, start);
        expect(optimalityViolations(net.network, result.flow, result.potential!)).toBe(0);
      }
    }
  });

  it('never gives a team a second unit while a team that could take that unit gets none', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const problem = randomProblem(seed, seed % 2 === 0);
      const { allocations } = solveMatching(problem);
      const total = new Map<string, number>();
      for (const a of allocations) total.set(a.teamId, (total.get(a.teamId) ?? 0) + a.units);
      const pinned = new Set((problem.pins ?? []).map((p) => `${p.teamId}/${p.resourceId}`));
      for (const c of problem.candidates) {
        const resource = problem.resources.find((r) => r.id === c.resourceId)!;
        if ((total.get(c.teamId) ?? 0) > 0 || pinned.has(`${c.teamId}/${c.resourceId}`) || resource.perTeamMax === 0) continue;
        // an uncovered team could take a unit of this resource: none may be left, and nobody may hold
        // a movable unit of it while holding another unit
        const onResource = allocations.filter((a) => a.resourceId === c.resourceId);
        expect({ seed, left: resource.capacity - onResource.reduce((s, a) => s + a.units, 0) }).toEqual({ seed, left: 0 });
        for (const a of onResource) if (!a.pinned) expect({ seed, team: a.teamId, total: total.get(a.teamId) }).toEqual({ seed, team: a.teamId, total: 1 });
      }
    }
  });

  it('agrees with the baseline, a cold start and HiGHS on generated instances of a few hundred teams', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const random = seededRandom(seed);
      const teams = 50 + Math.floor(random() * 250);
      const resources = 10 + Math.floor(random() * 40);
      const problem = randomLargeProblem(seed, teams, resources, seed % 2 ? 'tight' : 'easy');
      const solution = solveMatching(problem);
      expect(solveMatching(problem, { algorithm: 'successive-shortest-paths' }).objective).toBe(solution.objective);
      expect(solveMatching(problem, { coldStart: true }).objective).toBe(solution.objective);
      expect(Math.round(highsObjective(highs, problem))).toBe(solution.objective);
    }
  });
});

function randomLargeProblem(seed: number, teams: number, resources: number, tightness: 'easy' | 'tight'): MatchingProblem {
  const random = seededRandom(seed * 7919);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const candidates = Array.from({ length: teams }, (_, t) => {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(8, resources)) chosen.add(int(0, resources - 1));
    return [...chosen].map((r, i) => ({ teamId: `t${t}`, resourceId: `r${r}`, maxUnits: int(1, 10), rank: i + 1, tagOverlap: int(0, 3) }));
  }).flat();
  const demand = new Array<number>(resources).fill(0);
  for (const c of candidates) demand[Number(c.resourceId.slice(1))] += c.maxUnits;
  return {
    teams: Array.from({ length: teams }, (_, t) => ({ id: `t${t}` })),
    resources: demand.map((d, r) => ({ id: `r${r}`, capacity: tightness === 'easy' ? d : Math.floor(d / 4), perTeamMax: int(1, 10) })),
    candidates,
  };
}
