import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { HackathonStatusEnum } from './hackathon.type.js';

@ArgsType()
export class HackathonArgs {
  @Field(() => String, { nullable: true, description: 'Slug of the hackathon (give it or id).' })
  slug?: string | null;

  @Field(() => ID, { nullable: true, description: 'Id of the hackathon (UUID; give it or slug). Malformed: BAD_USER_INPUT.' })
  id?: string | null;
}

@ArgsType()
export class HackathonsArgs {
  @Field(() => String, { nullable: true, description: 'Only hackathons of this ecosystem (slug); unknown: NOT_FOUND.' })
  ecosystem?: string | null;

  @Field(() => HackathonStatusEnum, { nullable: true, description: 'Only hackathons with this status.' })
  status?: HackathonStatusEnum | null;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;
}

/** Fields shared by createHackathon and updateHackathon. */
@ArgsType()
export class HackathonFieldsArgs {
  @Field(() => String, { nullable: true, description: 'Free text (Markdown), at most 20,000 characters.' })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Compute the window from startDate and endDate "anywhere on earth" (opens 00:00 UTC+14 on startDate, closes after ' +
      '23:59:59 UTC−12 on endDate); startsAt and endsAt are then ignored.',
  })
  anywhereOnEarth?: boolean | null;

  @Field(() => String, { nullable: true, description: 'First calendar day, YYYY-MM-DD (anywhere-on-earth events).' })
  startDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Last calendar day, YYYY-MM-DD, not before startDate (anywhere-on-earth events).' })
  endDate?: string | null;

  @Field(() => Date, { nullable: true, description: 'Start of the event window (UTC instant, inclusive).' })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the event window (UTC instant, exclusive); after startsAt.' })
  endsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Registration opens at this UTC instant (inclusive); before the event ends.' })
  registrationOpensAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Registration closes at this UTC instant (exclusive); after registrationOpensAt.' })
  registrationClosesAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Fewest members a team needs to submit, 1–100 (default 1).' })
  minTeamSize?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most members a team may have, minTeamSize–100 (default 5).' })
  maxTeamSize?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Opt-in label, 1–100 characters; one containing "spam" or "invalid" (which disqualify) is refused.',
  })
  optInLabel?: string | null;

  @Field(() => String, { nullable: true, description: 'GitHub topic (lower-cased): repositories with it are tracked.' })
  trackedTopic?: string | null;
}

@ArgsType()
export class CreateHackathonArgs extends HackathonFieldsArgs {
  @Field({ description: 'Slug of the ecosystem; unknown: NOT_FOUND.' })
  ecosystem: string;

  @Field({ description: 'Unique key: lower-case letters, digits and hyphens, 1–63 characters (taken: CONFLICT).' })
  slug: string;

  @Field({ description: 'Name to show, 1–200 characters.' })
  name: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Tracked repositories, "owner/name" (case-insensitive) or numeric id; each a known repository of the ecosystem (else NOT_FOUND).',
  })
  repositories?: string[] | null;
}

@ArgsType()
export class UpdateHackathonArgs extends HackathonFieldsArgs {
  @Field(() => ID, { description: 'Id of the hackathon.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'New slug (taken: CONFLICT).' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Remove both registration window bounds.' })
  clearRegistrationWindow?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Remove the opt-in label.' })
  clearOptInLabel?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Remove the tracked topic.' })
  clearTrackedTopic?: boolean | null;
}

@ArgsType()
export class ChangeHackathonStatusArgs {
  @Field(() => ID, { description: 'Id of the hackathon.' })
  id: string;

  @Field(() => HackathonStatusEnum, { description: 'The next status (exactly one step forward).' })
  status: HackathonStatusEnum;
}

@ArgsType()
export class HackathonRepositoriesArgs {
  @Field(() => ID, { description: 'Id of the hackathon.' })
  id: string;

  @Field(() => [String], { description: 'Repositories, "owner/name" (case-insensitive) or numeric id; at most 500.' })
  repositories: string[];
}
