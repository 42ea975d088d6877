import { ArgsType, Field, Int } from '@nestjs/graphql';

@ArgsType()
export class RepositoriesArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Only the repositories of the ecosystem with this slug; unknown slug: NOT_FOUND. All repositories when absent.',
  })
  ecosystem?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Page size: at most this many repositories (1–100, else BAD_USER_INPUT); all of them (from offset on) when absent.',
  })
  first?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Repositories to skip, in the list order, before the page (0 or more, else BAD_USER_INPUT); 0 when absent.',
  })
  offset?: number | null;
}

@ArgsType()
export class RepositoryArgs {
  @Field(() => String, {
    description: "GitHub's numeric repository id, or its current \"owner/name\" (case-insensitive). Malformed: BAD_USER_INPUT; unknown: NOT_FOUND.",
  })
  ref: string;
}
