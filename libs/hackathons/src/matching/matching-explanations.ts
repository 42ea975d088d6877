import type { MatchingNetwork } from './matching-network.js';
import type { MatchingProblem, MatchingShortfallReason, MatchingTeamExplanation } from './matching-problem.js';

/**
 * Per team, in input order: what it received (best rank first) and, for every candidate it did
 * not fully get that is ranked above something it received (all candidates when it received
 * nothing), plus any received candidate it got only part of, why:
 *  - `pinned`: an organiser's pin fixed the pair;
 *  - `per_team_max`: the team got the resource's per-team maximum;
 *  - `resource_full`: no unit of the resource was left (other teams or pins took them all);
 *  - `better_use`: units were left, yet the optimum did not give them to this team (only when a
 *    unit of it is worth nothing to the team, e.g. zero weights).
 * `units[k]` is what grouped candidate k received (pins included).
 */
export function explainTeams(problem: MatchingProblem, net: MatchingNetwork, units: Float64Array): MatchingTeamExplanation[] {
  const used = new Float64Array(net.resourceCount);
  for (let k = 0; k < units.length; k++) used[net.candidateResource[k]] += units[k];
  const rank = new Float64Array(units.length);
  for (let k = 0; k < units.length; k++) rank[k] = problem.candidates[net.candidateIndex[k]].rank;
  const byRank = (a: number, b: number) => rank[a] - rank[b] || a - b;
  const explanations: MatchingTeamExplanation[] = [];
  const ks: number[] = [];
  for (let t = 0; t < net.teamCount; t++) {
    ks.length = 0;
    for (let k = net.teamStart[t]; k < net.teamStart[t + 1]; k++) ks.push(k);
    // by rank, input order among equal ranks (the grouped order is the input order)
    ks.sort(byRank);
    const received: MatchingTeamExplanation['received'] = [];
    let worstReceived = 0;
    for (const k of ks) {
      if (units[k] <= 0) continue;
      const candidate = problem.candidates[net.candidateIndex[k]];
      received.push({ resourceId: candidate.resourceId, units: units[k], rank: candidate.rank, pinned: net.candidatePinned[k] >= 0 });
      worstReceived = Math.max(worstReceived, candidate.rank);
    }
    const shortfalls: MatchingTeamExplanation['shortfalls'] = [];
    for (const k of ks) {
      const candidate = problem.candidates[net.candidateIndex[k]];
      const got = units[k];
      if (got >= candidate.maxUnits) continue;
      if (got === 0 && received.length > 0 && candidate.rank >= worstReceived) continue;
      const r = net.candidateResource[k];
      const resource = problem.resources[r];
      let reason: MatchingShortfallReason;
      if (net.candidatePinned[k] >= 0) reason = 'pinned';
      else if (got >= resource.perTeamMax) reason = 'per_team_max';
      else if (used[r] >= resource.capacity) reason = 'resource_full';
      else reason = 'better_use';
      shortfalls.push({ resourceId: candidate.resourceId, rank: candidate.rank, wanted: candidate.maxUnits, got, reason });
    }
    explanations.push({ teamId: problem.teams[t].id, received, shortfalls });
  }
  return explanations;
}

const REASON_WORDS: Record<MatchingShortfallReason, string> = {
  resource_full: 'was full',
  per_team_max: 'was at its per-team maximum',
  pinned: 'was pinned by an organiser',
  better_use: 'had units left that the optimum gave elsewhere',
};

const PARTIAL_WORDS: Record<MatchingShortfallReason, string> = {
  resource_full: 'no more was left',
  per_team_max: 'that is the per-team maximum',
  pinned: 'an organiser pinned it',
  better_use: 'the optimum gave the rest elsewhere',
};

/**
 * One team's allocation in plain English, one line per resource received (best rank first),
 * each saying why better-ranked candidates were not (fully) given, e.g.
 * "got 40 A100 hours (rank 2) because rank 1 (H100 hours) was full". A team that received
 * nothing gets one line ("got nothing because …"); a team without candidates, "asked for nothing".
 * @param resourceNames display name per resource id, a unit noun phrase ("A100 hours"); the id
 *   is shown when a name is missing.
 */
export function explainAllocation(
  explanation: MatchingTeamExplanation,
  resourceNames: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): string[] {
  const nameOf = (id: string) =>
    (resourceNames instanceof Map ? resourceNames.get(id) : (resourceNames as Record<string, string>)[id]) ?? id;
  const missed = explanation.shortfalls.filter((s) => s.got === 0);
  const because = (reasons: string[]) => (reasons.length ? ` because ${joinWords(reasons)}` : '');
  const missedReason = (s: (typeof missed)[number]) => `rank ${s.rank} (${nameOf(s.resourceId)}) ${REASON_WORDS[s.reason]}`;
  if (explanation.received.length === 0) {
    if (missed.length === 0) return ['asked for nothing'];
    return [`got nothing${because(missed.map(missedReason))}`];
  }
  let explainedUpTo = 0;
  return explanation.received.map((item) => {
    const reasons = missed.filter((s) => s.rank > explainedUpTo && s.rank < item.rank).map(missedReason);
    explainedUpTo = Math.max(explainedUpTo, item.rank - 1);
    const partial = explanation.shortfalls.find((s) => s.resourceId === item.resourceId && s.got > 0);
    if (partial) reasons.unshift(PARTIAL_WORDS[partial.reason]);
    const amount = partial ? `${item.units} of ${partial.wanted}` : `${item.units}`;
    const pinned = item.pinned ? ', pinned' : '';
    return `got ${amount} ${nameOf(item.resourceId)} (rank ${item.rank}${pinned})${because(reasons)}`;
  });
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
