import { ArgsType, Field, ID } from '@nestjs/graphql';

const MEMBER = 'The member: a member id (UUID) or a GitHub login (case-insensitive, the account holding it now).';

@ArgsType()
export class RegistrationFieldsArgs {
  @Field(() => [String], { nullable: true, description: 'Skills (free tags, trimmed and lower-cased, at most 30 of at most 50 characters).' })
  skills?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Interests (free tags, as skills).' })
  interests?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Needs (free tags, as skills), e.g. "gpu", "mentor".' })
  needs?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Consent to e-mails about the event (default false).' })
  emailConsent?: boolean | null;
}

@ArgsType()
export class RegisterArgs extends RegistrationFieldsArgs {
  @Field(() => ID, { description: 'Id of the hackathon.' })
  hackathonId: string;

  @Field({ description: MEMBER })
  member: string;
}

@ArgsType()
export class WithdrawArgs {
  @Field(() => ID, { description: 'Id of the hackathon.' })
  hackathonId: string;

  @Field({ description: MEMBER })
  member: string;
}

@ArgsType()
export class CreateTeamArgs {
  @Field(() => ID, { description: 'Id of the hackathon.' })
  hackathonId: string;

  @Field({ description: `${MEMBER} Becomes captain and first member; must be registered.` })
  member: string;

  @Field({ description: 'Team name, 1–100 characters, unique in the hackathon case-insensitively.' })
  name: string;
}

@ArgsType()
export class JoinTeamArgs {
  @Field({ description: "The team's invite code." })
  inviteCode: string;

  @Field({ description: `${MEMBER} Must be registered and in no team of the hackathon.` })
  member: string;
}

@ArgsType()
export class TeamMemberArgs {
  @Field(() => ID, { description: 'Id of the team.' })
  teamId: string;

  @Field({ description: MEMBER })
  member: string;
}

@ArgsType()
export class TransferCaptainArgs extends TeamMemberArgs {
  @Field(() => String, {
    nullable: true,
    description: 'The member acting (id or login): when given, it must be the current captain (else CONFLICT).',
  })
  actingMember?: string | null;
}

@ArgsType()
export class TeamArgs {
  @Field(() => ID, { description: 'Id of the team (UUID).' })
  id: string;
}

@ArgsType()
export class SaveSubmissionArgs {
  @Field(() => ID, { description: 'Id of the team.' })
  teamId: string;

  @Field(() => String, { nullable: true, description: 'Title, 1–200 characters; required for the first submission.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Description (Markdown), at most 20,000 characters.' })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Project repository on github.com (https://github.com/owner/name; "" removes it).',
  })
  repositoryUrl?: string | null;

  @Field(() => [String], { nullable: true, description: 'Links (http or https, at most 10); replaces the list.' })
  links?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Linked pull requests: "owner/name#number", a pull request URL or numeric id (at most 50, known to Cambrian); replaces the list.',
  })
  pullRequests?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The member acting (id or login): when given, it must be in the team.' })
  actingMember?: string | null;
}
