import type { MatchingCandidate, MatchingProblem, MatchingResource } from './matching-problem.js';

/** A small seeded pseudo-random generator (mulberry32): same seed, same sequence, on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MatchingInstanceOptions {
  seed: number;
  teams: number;
  resources: number;
  /** Distinct resources each team ranks (at most `resources`). */
  candidatesPerTeam: number;
  /** `easy`: every resource has at least what its candidates can take; `tight`: about 30% of it. */
  tightness: 'easy' | 'tight';
  /** Largest amount a team asks of one resource (default 40). */
  maxUnits?: number;
}

/**
 * A generated matching problem for benchmarks and property tests: resources chosen with a skew
 * (low-numbered resources are popular), ranks 1..candidatesPerTeam in the order drawn, amounts
 * 1..maxUnits, 0–3 shared tags, per-team maxima 1..maxUnits. Deterministic for a seed.
 */
export function generateMatchingProblem(options: MatchingInstanceOptions): MatchingProblem {
  const random = seededRandom(options.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const maxUnits = options.maxUnits ?? 40;
  const perTeamMax = Array.from({ length: options.resources }, () => int(1, maxUnits));
  const demand = new Float64Array(options.resources);
  const candidates: MatchingCandidate[] = [];
  const stamp = new Int32Array(options.resources).fill(-1);
  const perTeam = Math.min(options.candidatesPerTeam, options.resources);
  for (let t = 0; t < options.teams; t++) {
    for (let rank = 1; rank <= perTeam; ) {
      const r = Math.floor(options.resources * random() ** 1.5);
      if (stamp[r] === t) continue;
      stamp[r] = t;
      const units = int(1, maxUnits);
      candidates.push({ teamId: `t${t}`, resourceId: `r${r}`, maxUnits: units, rank, tagOverlap: int(0, 3) });
      demand[r] += Math.min(units, perTeamMax[r]);
      rank++;
    }
  }
  const resources: MatchingResource[] = perTeamMax.map((max, r) => ({
    id: `r${r}`,
    capacity: options.tightness === 'easy' ? demand[r] + int(0, 10) : Math.floor(demand[r] * 0.3),
    perTeamMax: max,
  }));
  return { teams: Array.from({ length: options.teams }, (_, t) => ({ id: `t${t}` })), resources, candidates };
}
