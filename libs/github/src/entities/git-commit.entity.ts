import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** A co-author credited by a `Co-authored-by` trailer in the commit's final trailer block. */
export interface CoAuthor {
  name: string;
  email: string;
}

/** A git commit, stored once however many repositories contain it (see `git_commit_repository`). */
@Entity('git_commit')
export class GitCommitEntity {
  @PrimaryColumn({ type: 'text' }) sha: string;
  /** The repository the commit was first seen in. */
  @Column({ name: 'repository_id', type: 'bigint', transformer: bigintTransformer }) repositoryId: number;
  @Column({ name: 'author_identity_id', type: 'uuid', nullable: true }) authorIdentityId: string | null;
  @Column({ name: 'author_name', type: 'text', nullable: true }) authorName: string | null;
  @Column({ name: 'authored_at', type: 'timestamptz' }) authoredAt: Date;
  @Column({ name: 'committed_at', type: 'timestamptz', nullable: true }) committedAt: Date | null;
  @Column({ name: 'message_headline', type: 'text', default: '' }) messageHeadline: string;
  @Column({ name: 'co_authors', type: 'jsonb', default: [] }) coAuthors: CoAuthor[];
  @Column({ name: 'is_merge', type: 'boolean', default: false }) isMerge: boolean;
}
