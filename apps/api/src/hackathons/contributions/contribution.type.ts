import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('ContributionFacts', { description: 'The stored facts an eligibility decision used.' })
export class ContributionFactsType {
  @Field({ description: 'When the pull request was opened or the review submitted (UTC instant).' })
  occurredAt: Date;

  @Field({ description: 'Registration of the author or reviewer: registered, withdrawn or none.' })
  registration: string;

  @Field({ description: 'Whether the repository is one of the event\'s listed repositories.' })
  repositoryListed: boolean;

  @Field(() => [String], { description: 'The repository\'s topics as stored.' })
  repositoryTopics: string[];

  @Field(() => [String], { description: 'The pull request\'s labels (for a review: the reviewed pull request\'s).' })
  labels: string[];

  @Field(() => Boolean, { nullable: true, description: 'Review only: whether it reviews a pull request of the reviewer\'s own team (or their own); null when unknown or for a pull request.' })
  ofOwnTeam: boolean | null;
}

@ObjectType('ContributionOverride', { description: 'An organiser\'s explicit decision on one contribution; results use it until it is revoked.' })
export class ContributionOverrideType {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  id: string;

  @Field({ description: 'The contribution it applies to (see Contribution.key).' })
  key: string;

  @Field({ description: 'Whether the contribution counts.' })
  eligible: boolean;

  @Field({ description: 'Why the organiser decided so.' })
  reason: string;

  @Field({ description: 'Who decided (an API token id for now).' })
  createdBy: string;

  @Field({ description: 'When (UTC instant).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was revoked (UTC instant); null while active.' })
  revokedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Who revoked it.' })
  revokedBy: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was revoked (or "replaced by a new override").' })
  revokeReason: string | null;
}

@ObjectType('Contribution', { description: 'A pull request or review of a hackathon participant, with its eligibility.' })
export class ContributionType {
  @Field({
    description:
      'Stable key, the same whichever source stored it: pr:<repository id>:<number> for a pull request, ' +
      'review:<repository id>:<number>:<reviewer member id> for a participant\'s reviews of one pull request (counted once).',
  })
  key: string;

  @Field({ description: 'pull_request or review.' })
  kind: string;

  @Field({ description: 'GitHub\'s numeric repository id, as a string.' })
  repositoryId: string;

  @Field(() => String, { nullable: true, description: 'owner/name of the repository.' })
  repository: string | null;

  @Field(() => Int, { description: 'The pull request number.' })
  number: number;

  @Field(() => ID, { description: 'The member credited (author or reviewer).' })
  memberId: string;

  @Field(() => String, { nullable: true, description: 'The member\'s GitHub login.' })
  login: string | null;

  @Field(() => ID, { nullable: true, description: 'The member\'s team in this hackathon, if any.' })
  teamId: string | null;

  @Field(() => String, { nullable: true, description: 'The team\'s name.' })
  team: string | null;

  @Field({ description: 'Opened (pull request) or first review submitted (UTC instant).' })
  occurredAt: Date;

  @Field({ description: 'Whether it counts in results: the override\'s decision if there is one, else the rules\'.' })
  eligible: boolean;

  @Field({ description: 'The rules\' decision (frozen at close once the event has closed).' })
  ruleEligible: boolean;

  @Field({
    description:
      'Reason code of the rules\' decision: tracked_repository, tracked_topic, opt_in_label, disqualifying_label, not_registered, ' +
      'withdrawn, outside_window, untracked_repository, own_team_review, or first_seen_after_freeze.',
  })
  reason: string;

  @Field({ description: 'The reason in words, naming the deciding fact.' })
  detail: string;

  @Field({ description: 'Whether the decision is frozen (the event has closed).' })
  frozen: boolean;

  @Field({ description: 'Whether an active override decides.' })
  overridden: boolean;

  /** The active override, if any; a GraphQL field for admins only (contributions.resolver.ts). */
  override: ContributionOverrideType | null;

  @Field(() => ContributionFactsType, { description: 'The facts the rules\' decision used.' })
  facts: ContributionFactsType;
}

@ObjectType('ContributionChange', { description: 'A difference found after the freeze; it changes results only through an override.' })
export class ContributionChangeType {
  @Field({ description: 'The contribution (see Contribution.key).' })
  key: string;

  @Field(() => Int, { description: 'Number of this change for the contribution, from 1.' })
  seq: number;

  @Field({ description: 'When the re-evaluation found it (UTC instant).' })
  detectedAt: Date;

  @Field(() => [String], { description: 'Facts that changed (labels, repositoryTopics, registration...), or presence when it appeared or disappeared.' })
  changed: string[];

  @Field(() => Boolean, { nullable: true, description: 'Decision before (null when not known before).' })
  oldEligible: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Decision the rules give now (null when the contribution is gone).' })
  newEligible: boolean | null;

  @Field(() => String, { nullable: true, description: 'Reason code before.' })
  oldReason: string | null;

  @Field(() => String, { nullable: true, description: 'Reason code now.' })
  newReason: string | null;

  @Field(() => ContributionFactsType, { nullable: true, description: 'Facts before.' })
  oldFacts: ContributionFactsType | null;

  @Field(() => ContributionFactsType, { nullable: true, description: 'Facts now.' })
  newFacts: ContributionFactsType | null;
}

@ObjectType('ContributionCount', { description: 'Eligible contributions of a team or participant, as results count them.' })
export class ContributionCountType {
  @Field(() => ID, { description: 'Team id or member id.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'Team name or member login.' })
  name: string | null;

  @Field(() => Int, { description: 'Eligible pull requests.' })
  pullRequests: number;

  @Field(() => Int, { description: 'Eligible reviews (one per reviewed pull request).' })
  reviews: number;

  @Field(() => Int, { description: 'pullRequests + reviews.' })
  total: number;
}

@ObjectType('RetentionPoint', { description: 'Participants still contributing some days after the event.' })
export class RetentionPointType {
  @Field(() => Int, { description: 'Days after the event\'s end.' })
  days: number;

  @Field({ description: 'The instant checked: end + days (UTC).' })
  at: Date;

  @Field(() => Int, { nullable: true, description: 'Participants with an accepted contribution in the 30 days ending at `at`; null while `at` is in the future.' })
  count: number | null;
}

@ObjectType('HackathonRetention', {
  description:
    'After-event retention. First-time contributor: the participant\'s transition to FIRST_TIME_CONTRIBUTOR (member stages) in the ' +
    'ecosystem falls inside the event window. Still contributing at end + N days: a merged pull request or non-merge commit in the ' +
    'ecosystem in (end + N − 30 days, end + N days].',
})
export class HackathonRetentionType {
  @Field(() => Int, { description: 'Registered participants (not withdrawn), once per member.' })
  participants: number;

  @Field(() => Int, { description: 'Participants whose first accepted contribution fell in the event window.' })
  firstTimeContributors: number;

  @Field(() => [RetentionPointType], { description: 'Still contributing 30 and 90 days after the end.' })
  stillContributing: RetentionPointType[];
}

@ObjectType('ContributionFreeze', { description: 'What freezing or re-evaluating did.' })
export class ContributionFreezeType {
  @Field({ description: 'frozen, already-frozen or not-closed.' })
  outcome: string;

  @Field(() => Int, { description: 'Decisions stored by the freeze.' })
  decisions: number;

  @Field(() => Int, { description: 'Changes recorded by the re-evaluation (after an earlier freeze).' })
  changes: number;
}
