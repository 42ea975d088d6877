import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** A pull request, keyed by GitHub's id and unique by (repository, number). */
@Entity('pull_request')
export class PullRequestEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer }) id: number;
  @Column({ name: 'repository_id', type: 'bigint', transformer: bigintTransformer }) repositoryId: number;
  @Column({ type: 'integer' }) number: number;
  @Column({ type: 'text', default: '' }) title: string;
  @Column({ type: 'text' }) state: 'open' | 'closed';
  @Column({ name: 'author_account_id', type: 'bigint', nullable: true, transformer: bigintTransformer })
  authorAccountId: number | null;
  @Column({ type: 'boolean', default: false }) merged: boolean;
  @Column({ name: 'merged_at', type: 'timestamptz', nullable: true }) mergedAt: Date | null;
  @Column({ name: 'merged_by_account_id', type: 'bigint', nullable: true, transformer: bigintTransformer })
  mergedByAccountId: number | null;
  @Column({ name: 'head_sha', type: 'text', nullable: true }) headSha: string | null;
  @Column({ name: 'head_ref', type: 'text', nullable: true }) headRef: string | null;
  @Column({ name: 'base_ref', type: 'text', nullable: true }) baseRef: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  /** Label names; null when no source has told them yet. */
  @Column({ type: 'text', array: true, nullable: true }) labels: string[] | null;
}
