import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('SubmissionPullRequest', { description: 'A pull request a submission links.' })
export class SubmissionPullRequestType {
  @Field(() => ID, { description: "GitHub's numeric pull request id." })
  id: number;

  @Field({ description: 'The repository\'s current "owner/name".' })
  repositoryFullName: string;

  @Field(() => Int, { description: 'Number in its repository.' })
  number: number;

  @Field({ description: 'Title at the last sync.' })
  title: string;

  @Field({ description: 'OPEN or CLOSED state at the last sync (lower-case as GitHub gives it).' })
  state: string;

  @Field({ description: 'True when merged.' })
  merged: boolean;

  @Field({ description: 'Its page on github.com.' })
  url: string;
}

@ObjectType('Submission', { description: "A team's submission to a hackathon (one per team)." })
export class SubmissionType {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  id: string;

  @Field(() => ID, { description: 'Id of the hackathon.' })
  hackathonId: string;

  @Field(() => ID, { description: 'Id of the team.' })
  teamId: string;

  @Field({ description: 'Title, 1–200 characters.' })
  title: string;

  @Field({ description: 'Description (Markdown), at most 20,000 characters.' })
  description: string;

  @Field(() => String, { nullable: true, description: 'The project repository, normalised to https://github.com/owner/name.' })
  repositoryUrl: string | null;

  /** GitHub id of the repository when Cambrian knows it; the `repository` field loads it. */
  repositoryId: number | null;

  @Field(() => [String], { description: 'Further links (http or https URLs: demo, video, slides).' })
  links: string[];

  @Field({ description: 'When the submission was first made (UTC instant).' })
  submittedAt: Date;

  @Field({ description: 'When the submission last changed (UTC instant).' })
  updatedAt: Date;
}
