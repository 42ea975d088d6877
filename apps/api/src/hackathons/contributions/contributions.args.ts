import { ArgsType, Field } from '@nestjs/graphql';

@ArgsType()
export class HackathonRefArgs {
  @Field({ description: 'Slug or id of the hackathon.' })
  hackathon: string;
}

@ArgsType()
export class OverrideContributionArgs extends HackathonRefArgs {
  @Field({ description: 'The contribution (Contribution.key).' })
  key: string;

  @Field({ description: 'Whether it counts.' })
  eligible: boolean;

  @Field({ description: 'Why (1–2,000 characters); kept with the override.' })
  reason: string;
}

@ArgsType()
export class RevokeContributionOverrideArgs extends HackathonRefArgs {
  @Field({ description: 'The contribution (Contribution.key).' })
  key: string;

  @Field({ description: 'Why the override is revoked (1–2,000 characters).' })
  reason: string;
}
