/**
 * The resource-matching problem of a hackathon, as the solver sees it: plain data, no database.
 * All amounts are whole units of the resource (GPU hours, API credit units, mentor hours, ...).
 * Ids are opaque strings (the database's uuids); the solver never interprets them.
 */
export interface MatchingProblem {
  /** Every team that may receive something (teams without candidates are allowed). */
  teams: MatchingTeam[];
  resources: MatchingResource[];
  /** What each team asked for: one row per (team, resource) the team could receive. */
  candidates: MatchingCandidate[];
  /** Allocations fixed by an organiser; the rest is solved around them. */
  pins?: MatchingPin[];
  /** Utility weights; defaults documented in the solver. */
  weights?: Partial<MatchingWeights>;
}

export interface MatchingTeam {
  id: string;
}

export interface MatchingResource {
  id: string;
  /** Units available in all (≥ 0). */
  capacity: number;
  /** Most units one team may receive (≥ 0). */
  perTeamMax: number;
}

export interface MatchingCandidate {
  teamId: string;
  resourceId: string;
  /** Most units this team wants from this resource (≥ 1). */
  maxUnits: number;
  /** The team's preference rank for this resource: 1 is its first choice. */
  rank: number;
  /** Tags shared by the team's request and the resource (a count, ≥ 0). */
  tagOverlap: number;
}

export interface MatchingPin {
  teamId: string;
  resourceId: string;
  /** Units fixed for this team from this resource (≥ 0; 0 pins "nothing from this resource"). */
  units: number;
}

export interface MatchingWeights {
  /** Utility of one unit at rank r is `rankBase - rankStep * (r - 1)` (floored at `rankFloor`). */
  rankBase: number;
  rankStep: number;
  rankFloor: number;
  /** Utility added per unit for each shared tag. */
  perTag: number;
  /**
   * Bonus for a team's first unit in all: larger than any other utility a unit can add, so
   * that every team with a feasible request gets something before any team gets a second
   * unit (the fairness tier).
   */
  firstUnitBonus: number;
}

export interface MatchingAllocation {
  teamId: string;
  resourceId: string;
  units: number;
  /** True when this allocation was fixed by a pin. */
  pinned: boolean;
}

/** Why a team did not get (all of) a higher-ranked candidate. */
export type MatchingShortfallReason =
  | 'resource_full' // every unit of the resource went to other teams or pins
  | 'per_team_max' // the resource's per-team maximum was reached
  | 'pinned' // an organiser's pin fixed this pair
  | 'better_use'; // units were left but the optimum gave them elsewhere (fairness or utility)

export interface MatchingTeamExplanation {
  teamId: string;
  /** What the team received, best rank first. */
  received: { resourceId: string; units: number; rank: number; pinned: boolean }[];
  /** Candidates ranked above the team's best received one (or all, if it received nothing) that it did not fully get. */
  shortfalls: { resourceId: string; rank: number; wanted: number; got: number; reason: MatchingShortfallReason }[];
}

export interface MatchingSolution {
  /** `optimal` always: the solver is exact; an infeasible pin set is an error, not a status. */
  status: 'optimal';
  /** Total utility of the allocations (integer), including first-unit bonuses. */
  objective: number;
  allocations: MatchingAllocation[];
  explanations: MatchingTeamExplanation[];
  stats: { nodes: number; arcs: number; iterations: number };
}
