import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { HackathonStatus } from '#libs/hackathons';
import type { SameValues } from '../../activities/activity.type.js';
import { PageInfoObject } from '../../graphql/page-info.type.js';

/** Where a hackathon is; it moves through these in order, one step at a time. */
export enum HackathonStatusEnum {
  DRAFT = 'draft',
  REGISTRATION_OPEN = 'registration_open',
  RUNNING = 'running',
  JUDGING = 'judging',
  FINISHED = 'finished',
}
const _statusesMatch: SameValues<`${HackathonStatusEnum}`, HackathonStatus> = true;

registerEnumType(HackathonStatusEnum, {
  name: 'HackathonStatus',
  description: 'Where a hackathon is: DRAFT → REGISTRATION_OPEN → RUNNING → JUDGING → FINISHED, one step at a time, never back.',
  valuesMap: {
    DRAFT: { description: 'Being prepared; nobody can register.' },
    REGISTRATION_OPEN: { description: 'Members can register (inside the registration window, when one is set) and form teams.' },
    RUNNING: { description: 'The event runs: registration stays open inside its window; teams submit.' },
    JUDGING: { description: 'Submissions are closed; judges score them.' },
    FINISHED: { description: 'Results are final.' },
  },
});

@ObjectType('Hackathon', { description: 'A hackathon of an ecosystem: its window, rules, registrations, teams and submissions.' })
export class HackathonType {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  id: string;

  /** Internal key for loaders; the public key is `ecosystemSlug`. */
  ecosystemId: number;

  @Field({ description: 'Unique key in URLs: lower-case letters, digits and hyphens, 1–63 characters.' })
  slug: string;

  @Field({ description: 'Name to show.' })
  name: string;

  @Field({ description: 'Free text (Markdown), at most 20,000 characters.' })
  description: string;

  @Field(() => HackathonStatusEnum, { description: 'Where the event is.' })
  status: HackathonStatus;

  @Field({
    description:
      'True when the window was computed from calendar dates "anywhere on earth": it opens at 00:00 UTC+14 on startDate ' +
      'and closes after 23:59:59 UTC−12 on endDate.',
  })
  anywhereOnEarth: boolean;

  @Field(() => String, { nullable: true, description: 'First calendar day (YYYY-MM-DD) of an anywhere-on-earth event; null otherwise.' })
  startDate: string | null;

  @Field(() => String, { nullable: true, description: 'Last calendar day (YYYY-MM-DD) of an anywhere-on-earth event; null otherwise.' })
  endDate: string | null;

  @Field({ description: 'Start of the event window (UTC instant, inclusive).' })
  startsAt: Date;

  @Field({ description: 'End of the event window (UTC instant, exclusive: the window is [startsAt, endsAt)).' })
  endsAt: Date;

  @Field(() => Date, { nullable: true, description: 'Registration opens at this UTC instant (inclusive); null: as soon as the status allows.' })
  registrationOpensAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Registration closes at this UTC instant (exclusive); null: while the status allows.' })
  registrationClosesAt: Date | null;

  @Field(() => Int, { description: 'Fewest members a team needs to submit.' })
  minTeamSize: number;

  @Field(() => Int, { description: 'Most members a team may have (joins beyond it are refused).' })
  maxTeamSize: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Opt-in label (compared case-insensitively): a pull request with it counts in any repository of the ecosystem. ' +
      'Labels containing "spam" or "invalid" (any case) always disqualify.',
  })
  optInLabel: string | null;

  @Field(() => String, { nullable: true, description: 'GitHub topic: every repository with it is tracked, next to trackedRepositories.' })
  trackedTopic: string | null;

  @Field(() => Date, { nullable: true, description: 'When eligibility of contributions was frozen (the event closed); null before.' })
  eligibilityFrozenAt: Date | null;

  @Field({ description: 'When the hackathon was created (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'When the hackathon last changed (UTC instant).' })
  updatedAt: Date;
}

@ObjectType('HackathonEdge', { description: 'A hackathon in a connection.' })
export class HackathonEdgeType {
  @Field({ description: 'Opaque cursor pointing just after this hackathon.' })
  cursor: string;

  @Field(() => HackathonType, { description: 'The hackathon.' })
  node: HackathonType;
}

@ObjectType('HackathonConnection', { description: 'Hackathons, newest start first (Relay cursor connection).' })
export class HackathonConnectionType {
  @Field(() => [HackathonEdgeType], { description: 'This page.' })
  edges: HackathonEdgeType[];

  @Field(() => PageInfoObject, { description: 'Where the page sits.' })
  pageInfo: PageInfoObject;

  @Field(() => Int, { description: 'How many hackathons match the filter across all pages.' })
  totalCount: number;
}
