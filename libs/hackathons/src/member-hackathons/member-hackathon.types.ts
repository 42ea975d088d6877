import type { HackathonStatus } from '../events/hackathon.entity.js';
import type { ResourceKind } from '../resources/resource.types.js';

/**
 * One hackathon a member registered for, as the member's page shows it. Registrations of members
 * merged into the member count as the member's (one per hackathon: the active one, else the earliest).
 */
export interface MemberHackathonView {
  /** The member asked about (the survivor of its merges). */
  memberId: string;
  hackathonId: string;
  hackathonSlug: string;
  ecosystemId: number;
  hackathonStatus: HackathonStatus;
  registrationId: string;
  /** UTC instant. */
  registeredAt: Date;
  /** UTC instant; null while registered. */
  withdrawnAt: Date | null;
  /** The member's team in the hackathon, or null. */
  teamId: string | null;
  /** True when the member (or a member merged into it) captains the team. */
  isCaptain: boolean;
  /** The team's submission, or null. */
  submissionId: string | null;
}

/** A submission's published judging result. */
export interface PublishedResult {
  /** Standard competition rank (1, 1, 3); null when no judge completed the submission. */
  rank: number | null;
  /** Mean of the judges' weighted totals, 0–100; null when no judge completed the submission. */
  score: number | null;
  /** How many submissions the hackathon has (the rank's "out of"). */
  submissions: number;
}

/** What a hackathon's published matching run gives a team of one resource. */
export interface PublishedAllocationView {
  teamId: string;
  resourceId: string;
  resourceName: string;
  resourceKind: ResourceKind;
  units: number;
}
