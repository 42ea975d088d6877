import type { MatchingShortfallReason, MatchingTeamExplanation } from '../matching/matching-problem.js';
import type { IneligibleCandidate, IneligibleReason } from './build-matching-problem.js';

const REASONS: Record<MatchingShortfallReason | IneligibleReason, string> = {
  resource_full: 'was full',
  per_team_max: "reached its per-team maximum",
  pinned: "was fixed by an organiser's pin",
  better_use: 'went to other teams (every team gets a first unit before any team gets more)',
  team_too_small: 'needs a larger team',
  skills_missing: "needs a member who registered one of its skills",
};

const units = (n: number) => `${n} unit${n === 1 ? '' : 's'}`;

/**
 * One sentence for people on what a team received in a run and why not better, e.g.
 * "got A100 hours (10 units, rank 2), because rank 1 (H100 hours) was full".
 * `names` maps resource ids to names (an unknown id is shown as is); `ineligible` are the
 * team's requested resources it may not receive at all (they join the shortfalls).
 */
export function formatTeamExplanation(explanation: MatchingTeamExplanation, names: ReadonlyMap<string, string>, ineligible: IneligibleCandidate[] = []): string {
  const name = (id: string) => names.get(id) ?? id;
  const received = [...explanation.received]
    .sort((a, b) => a.rank - b.rank)
    .map((r) => `${name(r.resourceId)} (${units(r.units)}, rank ${r.rank}${r.pinned ? ', pinned' : ''})`);
  const bestRank = received.length > 0 ? Math.min(...explanation.received.map((r) => r.rank)) : Infinity;
  const shortfalls = [
    ...explanation.shortfalls.map((s) => ({ rank: s.rank, text: `rank ${s.rank} (${name(s.resourceId)}${s.got > 0 ? `, ${s.got} of ${s.wanted}` : ''}) ${REASONS[s.reason]}` })),
    ...ineligible.filter((i) => i.rank < bestRank).map((i) => ({ rank: i.rank, text: `rank ${i.rank} (${name(i.resourceId)}) ${REASONS[i.reason]}` })),
  ]
    .sort((a, b) => a.rank - b.rank || (a.text < b.text ? -1 : 1))
    .map((s) => s.text);
  const head = received.length > 0 ? `got ${received.join(', ')}` : 'got nothing';
  return shortfalls.length > 0 ? `${head}, because ${shortfalls.join('; ')}` : head;
}
