import type { ContributionFacts, EligibilityDecision, EligibilityReason } from './eligibility.js';

/** The event as the contribution rules read it (`hackathon` row and its tracked repositories). */
export interface HackathonRules {
  id: string;
  slug: string;
  ecosystemId: number;
  status: string;
  startsAt: Date;
  endsAt: Date;
  optInLabel: string | null;
  trackedTopic: string | null;
  /** When eligibility was frozen, or null while the event has not closed. */
  frozenAt: Date | null;
}

/**
 * One pull request or review of a participant, evaluated. `subjectKey` names it the same way
 * whichever source stored it: `pr:<repository id>:<number>` for a pull request,
 * `review:<repository id>:<number>:<reviewer member id>` for a participant's reviews of a pull
 * request (several reviews of one pull request by one person count once).
 */
export interface EvaluatedContribution {
  subjectKey: string;
  kind: 'pull_request' | 'review';
  repositoryId: number;
  pullRequestNumber: number;
  /** The author (pull request) or reviewer (review), as the activity credits them now. */
  memberId: string;
  /** The member's team in the hackathon when evaluated, or null. */
  teamId: string | null;
  /** Opened (pull request) or first submitted review (review), UTC. */
  occurredAt: Date;
  facts: ContributionFacts;
  decision: EligibilityDecision;
}

/** What is stored per subject when eligibility is frozen (`hackathon_contribution.facts`). */
export interface StoredFacts {
  inputs: ContributionFacts;
  detail: string;
  /** The member's team at the freeze (results per team stay as frozen when people change teams later). */
  teamId?: string | null;
}

/** An organiser's override of one subject's decision. */
export interface ContributionOverride {
  id: string;
  subjectKey: string;
  eligible: boolean;
  reason: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** A contribution as results count it. */
export interface ContributionView {
  subjectKey: string;
  kind: 'pull_request' | 'review';
  repositoryId: number;
  repositoryFullName: string | null;
  pullRequestNumber: number;
  memberId: string;
  memberLogin: string | null;
  teamId: string | null;
  teamName: string | null;
  occurredAt: Date;
  /** The rules' decision: frozen at close (after the freeze), live before. */
  ruleEligible: boolean;
  reason: EligibilityReason | 'first_seen_after_freeze';
  detail: string;
  facts: ContributionFacts;
  frozen: boolean;
  /** First stored by a re-evaluation after the freeze: it counts only through an override. */
  seenAfterFreeze: boolean;
  /** The active override, or null. */
  override: ContributionOverride | null;
  /** What results use: the override's decision when there is one, else the rules'. */
  eligible: boolean;
}

/** A change found after the freeze (`hackathon_contribution_change`). */
export interface ContributionChange {
  subjectKey: string;
  seq: number;
  detectedAt: Date;
  /** Names of the facts that changed (`labels`, `repositoryTopics`...), or `presence` when the subject is gone or new. */
  changed: string[];
  oldEligible: boolean | null;
  newEligible: boolean | null;
  oldReason: string | null;
  newReason: string | null;
  oldFacts: ContributionFacts | null;
  newFacts: ContributionFacts | null;
}

/** Counts per team or participant: eligible pull requests and reviews as results count them. */
export interface ContributionCount {
  id: string;
  name: string | null;
  pullRequests: number;
  reviews: number;
  total: number;
}
