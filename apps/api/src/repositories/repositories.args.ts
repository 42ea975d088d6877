import { ArgsType, Field } from '@nestjs/graphql';

@ArgsType()
export class RepositoriesArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Only the repositories of the ecosystem with this slug; unknown slug: NOT_FOUND. All repositories when absent.',
  })
  ecosystem?: string | null;
}
