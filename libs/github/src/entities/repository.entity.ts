import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** A GitHub repository, keyed by GitHub's numeric id (owner/name change on rename and transfer). */
@Entity('repository')
export class RepositoryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer }) id: number;
  @Column({ name: 'ecosystem_id', type: 'integer', nullable: true }) ecosystemId: number | null;
  @Column({ type: 'text' }) owner: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'full_name', type: 'text' }) fullName: string;
  @Column({ name: 'default_branch', type: 'text', nullable: true }) defaultBranch: string | null;
  @Column({ name: 'is_fork', type: 'boolean', default: false }) isFork: boolean;
  @Column({ name: 'is_archived', type: 'boolean', default: false }) isArchived: boolean;
  @Column({ name: 'stargazers_count', type: 'integer', nullable: true }) stargazersCount: number | null;
  @Column({ name: 'forks_count', type: 'integer', nullable: true }) forksCount: number | null;
  @Column({ name: 'created_at', type: 'timestamptz', nullable: true }) createdAt: Date | null;
  @Column({ name: 'pushed_at', type: 'timestamptz', nullable: true }) pushedAt: Date | null;
  /** Topic names; null when no source has told them yet. */
  @Column({ type: 'text', array: true, nullable: true }) topics: string[] | null;
  /**
   * UTC instant of the observation (a delivery's receipt, the sync's request) whose state the row
   * holds; an older observation does not overwrite it (see {@link REPOSITORY_STATE_FRESHNESS_SECONDS}).
   */
  @Column({ name: 'state_observed_at', type: 'timestamptz', nullable: true }) stateObservedAt: Date | null;
  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' }) firstSeenAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
