/** Issue or pull request. */
export type FlowItemKind = 'ISSUE' | 'PULL_REQUEST';

/**
 * Where an open item waits:
 * - `NO_RESPONSE`: nobody but its author (and bots) has answered yet;
 * - `RESPONDED` (issues): answered, still open;
 * - `WAITING_FOR_REVIEW` (pull requests): answered, but no standing approval or change request;
 * - `CHANGES_REQUESTED`: a reviewer's latest decisive review requests changes;
 * - `APPROVED`: approved, no change request outstanding, not merged.
 */
export const FLOW_STEPS = ['NO_RESPONSE', 'RESPONDED', 'WAITING_FOR_REVIEW', 'CHANGES_REQUESTED', 'APPROVED'] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];

/** A decisive review by someone other than the author. */
export interface DecisiveReview {
  reviewer: string;
  /** `APPROVED`, `CHANGES_REQUESTED` or `DISMISSED` (GitHub's review states; `COMMENTED` decides nothing). */
  state: string;
  at: Date;
}

/** What is known about an open item. */
export interface FlowFacts {
  kind: FlowItemKind;
  createdAt: Date;
  firstResponseAt: Date | null;
  /** Decisive reviews, any order (pull requests only). */
  reviews: readonly DecisiveReview[];
}

/** The step an item is at and the UTC instant it entered that step. */
export interface FlowPosition {
  step: FlowStep;
  since: Date;
}

/**
 * Classifies an open item. Reviews follow GitHub's review decision ("About pull request
 * reviews"): each reviewer's latest decisive review stands (a dismissal withdraws it); any
 * standing change request outweighs approvals. The step starts at: creation (NO_RESPONSE), the
 * first response (RESPONDED, WAITING_FOR_REVIEW), the latest standing change request, or the
 * earliest standing approval (APPROVED: mergeable since then).
 */
export function flowPosition(facts: FlowFacts): FlowPosition {
  if (facts.kind === 'PULL_REQUEST') {
    const standing = new Map<string, DecisiveReview>();
    for (const review of [...facts.reviews].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      if (review.state === 'DISMISSED') standing.delete(review.reviewer);
      else if (review.state === 'APPROVED' || review.state === 'CHANGES_REQUESTED') standing.set(review.reviewer, review);
    }
    const reviews = [...standing.values()];
    const changes = reviews.filter((review) => review.state === 'CHANGES_REQUESTED');
    if (changes.length) return { step: 'CHANGES_REQUESTED', since: new Date(Math.max(...changes.map((r) => r.at.getTime()))) };
    const approvals = reviews.filter((review) => review.state === 'APPROVED');
    if (approvals.length) return { step: 'APPROVED', since: new Date(Math.min(...approvals.map((r) => r.at.getTime()))) };
  }
  if (facts.firstResponseAt === null) return { step: 'NO_RESPONSE', since: facts.createdAt };
  return { step: facts.kind === 'ISSUE' ? 'RESPONDED' : 'WAITING_FOR_REVIEW', since: facts.firstResponseAt };
}
