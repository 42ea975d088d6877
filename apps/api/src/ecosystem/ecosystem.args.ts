import { ArgsType, Field } from '@nestjs/graphql';
import { TrackedSourceKindEnum } from './ecosystem.type.js';

@ArgsType()
export class EcosystemArgs {
  @Field({ description: 'Slug of the ecosystem (case-insensitive).' })
  slug: string;
}

@ArgsType()
export class CreateEcosystemArgs {
  @Field({
    description: 'Unique key: lower-case letters, digits and hyphens, 1–63 characters. Invalid: BAD_USER_INPUT; taken: CONFLICT.',
  })
  slug: string;

  @Field({ description: 'Name to show; must not be blank (BAD_USER_INPUT).' })
  name: string;
}

@ArgsType()
export class AddTrackedSourceArgs {
  @Field({ description: 'Slug of the ecosystem; unknown: NOT_FOUND.' })
  ecosystem: string;

  @Field(() => TrackedSourceKindEnum, { description: 'What the source covers.' })
  kind: TrackedSourceKindEnum;

  @Field({
    description:
      'A GitHub login (ORGANIZATION, USER) or "owner/name" (REPOSITORY; a pasted https://github.com/ URL or .git suffix is ' +
      'accepted). Invalid: BAD_USER_INPUT.',
  })
  name: string;
}

/** The tracked source named as addTrackedSource names it. */
@ArgsType()
export class TrackedSourceArgs extends AddTrackedSourceArgs {}

@ArgsType()
export class SetTrackedSourcePausedArgs extends AddTrackedSourceArgs {
  @Field({ description: 'True pauses the source (neither listed nor synced); false resumes it.' })
  paused: boolean;
}

@ArgsType()
export class StartSyncArgs {
  @Field({ description: 'Slug of the ecosystem; unknown: NOT_FOUND.' })
  ecosystem: string;
}
