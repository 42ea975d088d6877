import type { IsoWeekKey } from '../digest.types.js';

/**
 * What one member's weekly digest says, as plain data read from Cambrian's database
 * ({@link DigestContentLoader}); rendering ({@link renderDigest}) turns it into a message and reads
 * nothing else. Instants are UTC `Date`s; the renderer shows them in the recipient's time zone.
 */
export interface DigestContent {
  week: IsoWeekKey;
  /** IANA time zone the week was cut in (local Monday 00:00 to the next Monday 00:00). */
  timeZone: string;
  weekStart: Date;
  weekEnd: Date;
  member: { id: string; name: string; login: string | null };
  /** The ecosystem the digest speaks of: where the member's stage is most advanced (null when they have none). */
  ecosystem: { id: number; slug: string; name: string } | null;
  yourWeek: DigestWeek;
  /** Current stage and what the next one takes; null when the member has no stage yet. */
  path: DigestPath | null;
  nextSteps: DigestNextSteps;
  community: DigestCommunity;
}

/** A pull request or issue on GitHub, as a digest lists it. */
export interface DigestItem {
  /** `owner/name`. */
  repository: string;
  number: number;
  title: string;
  /** https URL on GitHub (from the activity's facts, else built from the repository and number). */
  url: string;
  /** UTC instant of the activity (merge, review, opening). */
  at: Date;
}

/** The member's own week. */
export interface DigestWeek {
  merged: DigestItem[];
  /** Reviews of pull requests (`state` as GitHub gives it: APPROVED, CHANGES_REQUESTED, COMMENTED). */
  reviews: Array<DigestItem & { state: string | null }>;
  issuesOpened: DigestItem[];
  /** Repositories where the member's first accepted contribution (commit or merged pull request) is this week. */
  firstContributions: Array<{ repository: string; url: string; at: Date }>;
  /** Commits on default branches credited to the member this week. */
  commits: number;
  /** Pull requests opened this week. */
  pullRequestsOpened: number;
  /** Issue, pull request and review comments this week. */
  comments: number;
}

/** Stages as stored in `member_stage` (libs/members stage rules). */
export type DigestStage = 'OBSERVER' | 'USER' | 'FIRST_TIME_CONTRIBUTOR' | 'REGULAR_CONTRIBUTOR' | 'MAINTAINER' | 'LAPSED';

/** What reaching the next stage takes, computed from the stage rules in force (see digest-path.ts). */
export type DigestNextStep =
  /** One accepted contribution (merged pull request or default-branch commit) makes a first-time contributor. */
  | { kind: 'first_contribution'; to: 'FIRST_TIME_CONTRIBUTOR' }
  /** `needed` more accepted contributions, each in a different ISO week, within `withinWeeks` weeks. */
  | { kind: 'regular'; to: 'REGULAR_CONTRIBUTOR'; needed: number; withinWeeks: number; minWeeks: number; windowWeeks: number }
  /** Merging `merges` pull requests of others, or approving `approvals` of them. */
  | { kind: 'maintainer'; to: 'MAINTAINER'; merges: number; approvals: number }
  /** A lapsed contributor comes back with one accepted contribution. */
  | { kind: 'return'; to: DigestStage };

/** The member's stage in the digest's ecosystem. */
export interface DigestPath {
  stage: DigestStage;
  /** UTC instant the member reached the stage. */
  since: Date;
  next: DigestNextStep | null;
  /** When a contributor lapses if no contribution arrives, shown when it is within four weeks of the week's end. */
  lapsesAt: Date | null;
  /**
   * Place on the ecosystem's leaderboard of the week (UTC days), only when in the top {@link RANK_SHOWN_UP_TO}
   * of at least {@link RANK_MIN_ACTIVE} scoring members.
   */
  rank: { position: number; of: number } | null;
}

/** Places on a week's leaderboard worth telling (a rank of 4,512 says nothing). */
export const RANK_SHOWN_UP_TO = 10;
/** Fewest members active in the week for a rank to be told (#1 of 2 says nothing either). */
export const RANK_MIN_ACTIVE = 10;

/** Where the member could go next. */
export interface DigestNextSteps {
  /** Open good-first-issue / help-wanted issues in repositories the member was active in, newest first. */
  issues: Array<{ repository: string; number: number; title: string; url: string; labels: string[]; openedAt: Date }>;
  hackathons: DigestHackathon[];
  /** News of the member's hackathon teams. */
  teams: DigestTeamNews[];
}

/** An upcoming hackathon of the member's ecosystem. */
export interface DigestHackathon {
  slug: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
  registrationClosesAt: Date | null;
  /** Registration is open now (status `registration_open`). */
  registrationOpen: boolean;
  /** The member is registered (and has not withdrawn). */
  registered: boolean;
}

/** Published news of one of the member's teams. */
export interface DigestTeamNews {
  hackathon: string;
  team: string;
  /** Allocations of a matching run published this week. */
  allocations: Array<{ resource: string; kind: string; units: number; sponsor: string | null }>;
  /** The team's judging result when the hackathon finished this week. */
  result: { rank: number; of: number; score: number | null } | null;
}

/** The community's week (the same for every member of an ecosystem and time zone). */
export interface DigestCommunity {
  /** Members whose first accepted contribution in the ecosystem is this week (a few names; never the recipient). */
  firstTimers: Array<{ name: string; login: string | null }>;
  firstTimerCount: number;
  releases: Array<{ repository: string; tag: string; name: string | null; url: string; at: Date }>;
}
