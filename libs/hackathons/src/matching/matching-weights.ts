import type { MatchingWeights } from './matching-problem.js';
import { MatchingException, MatchingExceptionCode } from './matching.exception.js';

/**
 * Default utility weights. One unit at rank r is worth `max(10, 100 - 10·(r - 1))`, plus 5 per
 * tag the team's request shares with the resource: a first choice is worth 100 a unit, a tenth
 * or later choice 10; two shared tags are worth one rank. `firstUnitBonus` has no fixed default:
 * it is computed per instance by {@link minimumFirstUnitBonus}.
 */
export const DEFAULT_MATCHING_WEIGHTS: Omit<MatchingWeights, 'firstUnitBonus'> = {
  rankBase: 100,
  rankStep: 10,
  rankFloor: 10,
  perTag: 5,
};

/** Utility of one unit at `rank` (1 = first choice) with `tagOverlap` shared tags; an integer ≥ 0. */
export function unitUtility(weights: Omit<MatchingWeights, 'firstUnitBonus'>, rank: number, tagOverlap: number): number {
  return Math.max(weights.rankFloor, weights.rankBase - weights.rankStep * (rank - 1)) + weights.perTag * tagOverlap;
}

/**
 * The smallest first-unit bonus that makes the fairness tier strict: with it, an optimum covers
 * as many teams as any allocation can (so no team holds a second unit while a team that could
 * take that unit gets none), and only then maximises utility.
 *
 * Why it suffices: compare an optimum x with an allocation covering one more team. Their
 * difference holds a cycle in x's residual network that enters one more team's first-unit arc;
 * that cycle takes back at most one unit from each resource it passes (and each team), so it
 * loses at most `min(resources, teams) · maxUnitUtility` of utility. A bonus above that makes
 * the cycle profitable, contradicting x's optimality. The solver takes `maxUnitUtility` over
 * every candidate (pins and capacities do not change it), so re-solving around pins keeps the bonus.
 */
export function minimumFirstUnitBonus(resourceCount: number, teamCount: number, maxUnitUtility: number): number {
  return Math.min(resourceCount, teamCount) * maxUnitUtility + 1;
}

/** Merges `given` over the defaults and checks each weight is a non-negative safe integer. */
export function resolveWeights(given: Partial<MatchingWeights> | undefined): {
  weights: Omit<MatchingWeights, 'firstUnitBonus'>;
  firstUnitBonus: number | undefined;
} {
  const weights = { ...DEFAULT_MATCHING_WEIGHTS };
  for (const key of Object.keys(DEFAULT_MATCHING_WEIGHTS) as (keyof typeof DEFAULT_MATCHING_WEIGHTS)[]) {
    const value = given?.[key];
    if (value === undefined) continue;
    checkWeight(key, value);
    weights[key] = value;
  }
  const bonus = given?.firstUnitBonus;
  if (bonus !== undefined) checkWeight('firstUnitBonus', bonus);
  return { weights, firstUnitBonus: bonus };
}

function checkWeight(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MatchingException(
      `weight ${name} must be a non-negative integer (got ${value})`,
      MatchingExceptionCode.INVALID_WEIGHTS,
    );
  }
}
