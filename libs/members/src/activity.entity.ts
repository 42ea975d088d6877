import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** Kinds of contribution-like events (DESIGN.md "Activity"). */
export const ACTIVITY_TYPES = [
  'commit',
  'pull_request_opened',
  'pull_request_merged',
  'pull_request_closed',
  'pull_request_reopened',
  'review',
  'review_comment',
  'issue_opened',
  'issue_closed',
  'issue_reopened',
  'issue_comment',
  'star',
  'fork',
  'release',
  'discussion',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Where an activity came from; the same fact from several sources is stored once. */
export type ActivitySource = 'webhook' | 'api' | 'gharchive';

/** One dated contribution-like event by one identity in one repository. */
@Entity('activity')
export class ActivityEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) type: ActivityType;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ name: 'repository_id', type: 'bigint', transformer: bigintTransformer }) repositoryId: number;
  @Column({ name: 'identity_id', type: 'uuid' }) identityId: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId: string;
  @Column({ type: 'text' }) source: ActivitySource;
  /** Stable key of the fact (e.g. `commit:<sha>`, `pr:<repo id>:<number>:opened`). */
  @Column({ name: 'source_key', type: 'text', unique: true }) sourceKey: string;
  @Column({ type: 'jsonb', default: {} }) facts: Record<string, unknown>;
  /** Set when the fact was undone (a star removed). */
  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true }) removedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
