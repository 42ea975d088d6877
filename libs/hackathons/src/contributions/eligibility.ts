/**
 * Eligibility of a pull request or review for a hackathon (issue 5; case H1 in
 * ../shared/cases/hackathons.md). Pure; table-driven spec beside it.
 */

/** The event's rules, from the `hackathon` row and its `hackathon_repository` rows. */
export interface EligibilityRules {
  /** Event window `[startsAt, endsAt)`, UTC instants. */
  startsAt: Date;
  endsAt: Date;
  /** Label that makes a pull request count in any repository (compared case-insensitively), or null. */
  optInLabel: string | null;
  /** Topic that makes a repository tracked (compared case-insensitively), or null. */
  trackedTopic: string | null;
}

/** Where the author (or reviewer) stands in the event's registrations. */
export type RegistrationState = 'registered' | 'withdrawn' | 'none';

/** The inputs of one decision: what is stored about the subject when it is evaluated. */
export interface ContributionFacts {
  kind: 'pull_request' | 'review';
  /** Pull request: when it was opened; review: when it was submitted (UTC ISO instant). */
  occurredAt: string;
  /** Registration of the pull request's author (pull request) or of the reviewer (review). */
  registration: RegistrationState;
  /** Whether the repository is one of the event's `hackathon_repository` rows. */
  repositoryListed: boolean;
  /** The repository's topics as stored (empty when unknown). */
  repositoryTopics: string[];
  /** The pull request's labels (for a review: the reviewed pull request's). */
  labels: string[];
  /**
   * Review only: whether the reviewed pull request was opened by the reviewer's own team (or by
   * the reviewer); null when the author is unknown or the reviewer is in no team.
   */
  ofOwnTeam: boolean | null;
}

/** Why a subject counts or not; stable codes, stored with each frozen decision. */
export type EligibilityReason =
  | 'tracked_repository'
  | 'tracked_topic'
  | 'opt_in_label'
  | 'disqualifying_label'
  | 'not_registered'
  | 'withdrawn'
  | 'outside_window'
  | 'untracked_repository'
  | 'own_team_review';

/** A decision and its reason. */
export interface EligibilityDecision {
  eligible: boolean;
  reason: EligibilityReason;
  /** A sentence naming the fact that decided (e.g. the disqualifying label). */
  detail: string;
}

/** Fragments of label names that disqualify, in any case (`Hacktoberfest-Spam`, `INVALID`...). */
export const DISQUALIFYING_LABEL_PARTS = ['spam', 'invalid'] as const;

/** The first label containing `spam` or `invalid` in any case, or null. */
export function disqualifyingLabel(labels: readonly string[]): string | null {
  return labels.find((label) => DISQUALIFYING_LABEL_PARTS.some((part) => label.toLowerCase().includes(part))) ?? null;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Decides whether a pull request or review counts for a hackathon. Checked in this order, the
 * first failing rule giving the reason:
 * 1. the author (reviewer) is a registered participant, not withdrawn;
 * 2. it happened inside the window `[startsAt, endsAt)` — a pull request by when it was opened,
 *    a review by when it was submitted;
 * 3. no label containing `spam` or `invalid` (any case) — for a review, on the reviewed pull request;
 * 4. a review of a pull request of the reviewer's own team (or their own) does not count: a team
 *    reviewing its own work would count it twice;
 * 5. the repository is tracked (a `hackathon_repository` row, or it has the event's
 *    `tracked_topic`), or — pull requests only — it carries the opt-in label (case-insensitive).
 *    Reviews count in tracked repositories only.
 */
export function decideEligibility(facts: ContributionFacts, rules: EligibilityRules): EligibilityDecision {
  if (facts.registration === 'none') return no('not_registered', 'the author is not registered for the event');
  if (facts.registration === 'withdrawn') return no('withdrawn', 'the author withdrew from the event');
  const at = Date.parse(facts.occurredAt);
  if (!(at >= rules.startsAt.getTime() && at < rules.endsAt.getTime())) {
    const what = facts.kind === 'pull_request' ? 'opened' : 'submitted';
    return no('outside_window', `${what} at ${facts.occurredAt}, outside [${rules.startsAt.toISOString()}, ${rules.endsAt.toISOString()})`);
  }
  const spam = disqualifyingLabel(facts.labels);
  if (spam !== null) return no('disqualifying_label', `labelled "${spam}"`);
  if (facts.kind === 'review' && facts.ofOwnTeam === true) return no('own_team_review', "a review of the reviewer's own team's pull request");
  if (facts.repositoryListed) return yes('tracked_repository', 'the repository is tracked by the event');
  const topic = rules.trackedTopic;
  if (topic !== null && facts.repositoryTopics.some((candidate) => same(candidate, topic))) {
    return yes('tracked_topic', `the repository has the topic "${topic}"`);
  }
  const optIn = rules.optInLabel;
  if (facts.kind === 'pull_request' && optIn !== null) {
    const label = facts.labels.find((candidate) => same(candidate, optIn));
    if (label !== undefined) return yes('opt_in_label', `labelled "${label}"`);
  }
  return no('untracked_repository', facts.kind === 'pull_request' ? 'the repository is not tracked and the opt-in label is absent' : 'the repository is not tracked');
}

function yes(reason: EligibilityReason, detail: string): EligibilityDecision {
  return { eligible: true, reason, detail };
}

function no(reason: EligibilityReason, detail: string): EligibilityDecision {
  return { eligible: false, reason, detail };
}

/**
 * Whether a review is of the reviewer's own team's work: the reviewer's own pull request, or one
 * by a member of the reviewer's team. null when the pull request's author is unknown.
 */
export function isOwnTeamReview(
  reviewer: { memberId: string; teamId: string | null },
  author: { memberId: string | null; teamId: string | null },
): boolean | null {
  if (author.memberId === null) return null;
  return author.memberId === reviewer.memberId || (reviewer.teamId !== null && author.teamId === reviewer.teamId);
}

/**
 * Names of the facts that differ between two evaluations (for the changes recorded after the
 * freeze). Label and topic lists compare as case-sensitive sets: a reorder is no change.
 */
export function changedFacts(before: ContributionFacts, after: ContributionFacts): string[] {
  const setKey = (values: readonly string[]) => [...new Set(values)].sort().join('\u0000');
  const changed: string[] = [];
  for (const key of Object.keys(after) as Array<keyof ContributionFacts>) {
    const a = before[key];
    const b = after[key];
    const differs = Array.isArray(a) && Array.isArray(b) ? setKey(a) !== setKey(b) : a !== b;
    if (differs) changed.push(key);
  }
  return changed;
}
