import { bigintTransformer } from '#libs/db';
import { Entity, PrimaryColumn } from 'typeorm';

/** A pull request a submission links (table `submission_pull_request`). */
@Entity('submission_pull_request')
export class SubmissionPullRequestEntity {
  @PrimaryColumn({ name: 'submission_id', type: 'uuid' }) submissionId: string;
  /** GitHub's numeric pull request id. */
  @PrimaryColumn({ name: 'pull_request_id', type: 'bigint', transformer: bigintTransformer }) pullRequestId: number;
}
