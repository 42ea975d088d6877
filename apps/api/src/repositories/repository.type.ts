import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Repository', { description: "A GitHub repository, keyed by GitHub's numeric id (names change on rename and transfer)." })
export class RepositoryObject {
  @Field(() => ID, { description: "GitHub's numeric repository id." })
  id: number;

  @Field({ description: 'Current owner login.' })
  owner: string;

  @Field({ description: 'Current name.' })
  name: string;

  @Field({ description: 'Current "owner/name".' })
  fullName: string;

  @Field(() => String, { nullable: true, description: 'Default branch, when known.' })
  defaultBranch: string | null;

  @Field({ description: 'True for a fork.' })
  isFork: boolean;

  @Field({ description: 'True when archived on GitHub.' })
  isArchived: boolean;

  @Field(() => Int, { nullable: true, description: 'Stars at the last sync.' })
  stargazersCount: number | null;

  @Field(() => Int, { nullable: true, description: 'Forks at the last sync.' })
  forksCount: number | null;

  @Field(() => Date, { nullable: true, description: 'When the repository was created on GitHub (UTC instant).' })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last push GitHub reported (UTC instant).' })
  pushedAt: Date | null;
}
