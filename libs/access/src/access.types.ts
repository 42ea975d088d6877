/** A role a viewer can hold (issue 8). ADMIN: everything; ORGANIZER: scoped to an ecosystem or hackathons; JUDGE: scoped to assignments; MEMBER: oneself. */
export type AccessRole = 'admin' | 'organizer' | 'judge' | 'member';

/** An organiser grant as stored in `access_grant` (exactly one of ecosystem and hackathon set). */
export interface AccessGrantView {
  id: string;
  /** The member id the grant was given to (read through member merges). */
  memberId: string;
  role: 'organizer';
  ecosystemId: number | null;
  hackathonId: string | null;
  grantedBy: string | null;
  /** UTC instant. */
  grantedAt: Date;
  revokedBy: string | null;
  /** UTC instant, or null while in force. */
  revokedAt: Date | null;
  /** Slug of the ecosystem (ecosystem grants), else null. */
  ecosystemSlug: string | null;
  /** Slug of the hackathon (hackathon grants), else null. */
  hackathonSlug: string | null;
}

/** What an organiser grant covers: one ecosystem (by id) or one hackathon (by id). */
export type OrganizerScope = { ecosystemId: number; hackathonId?: undefined } | { hackathonId: string; ecosystemId?: undefined };

/** A hackathon a rule is about, with its ecosystem. */
export interface HackathonScope {
  hackathonId: string;
  ecosystemId: number;
}

/**
 * How a rule names the hackathon an operation touches, from its arguments or parent object:
 * the hackathon itself (id or slug), or a row inside it.
 */
export type HackathonRef =
  | { hackathon: string }
  | { teamId: string }
  | { inviteCode: string }
  | { submissionId: string }
  | { criterionId: string }
  | { resourceId: string }
  | { resourceRequestId: string }
  | { matchingRunId: string };
