import type { MatchingTeamExplanation } from '../matching/matching-problem.js';
import { explainAllocation } from '../matching/matching-explanations.js';
import type { IneligibleCandidate, IneligibleReason } from './build-matching-problem.js';

const INELIGIBLE_WORDS: Record<IneligibleReason, string> = {
  team_too_small: 'needs a larger team',
  skills_missing: 'needs a member who registered one of its skills',
};

/**
 * What a team received in a run and why not better, for people: the solver's lines
 * ({@link explainAllocation}, e.g. "got 10 A100 hours (rank 2) because rank 1 (H100 hours) was
 * full") joined with "; ", then the requested resources the team may not receive at all
 * ("not eligible: rank 1 (Mentor Bo) needs a larger team"). `names` maps resource ids to names.
 */
export function formatTeamExplanation(explanation: MatchingTeamExplanation, names: ReadonlyMap<string, string>, ineligible: IneligibleCandidate[] = []): string {
  const lines = explainAllocation(explanation, names);
  if (ineligible.length === 0) return lines.join('; ');
  const head = explanation.received.length === 0 && explanation.shortfalls.length === 0 ? [] : lines;
  const refused = [...ineligible]
    .sort((a, b) => a.rank - b.rank)
    .map((i) => `rank ${i.rank} (${names.get(i.resourceId) ?? i.resourceId}) ${INELIGIBLE_WORDS[i.reason]}`);
  return [...head, `not eligible: ${refused.join(', ')}`].join('; ');
}
