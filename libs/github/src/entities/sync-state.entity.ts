import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** Resources synced per repository, each with its own cursor and ETag. */
export type SyncResource =
  | 'repository'
  | 'commits'
  | 'pulls'
  | 'issues'
  | 'issue_comments'
  | 'review_comments'
  | 'reviews'
  | 'releases'
  | 'stargazers'
  | 'forks'
  | 'labels';

/** Cursor, ETag and health of one (repository, resource) sync. */
@Entity('sync_state')
export class SyncStateEntity {
  @PrimaryColumn({ name: 'repository_id', type: 'bigint', transformer: bigintTransformer }) repositoryId: number;
  @PrimaryColumn({ type: 'text' }) resource: SyncResource;
  /** Resource-specific resume point, e.g. `{ since: '2024-01-01T00:00:00Z' }` (UTC instants). */
  @Column({ type: 'jsonb', default: {} }) cursor: Record<string, unknown>;
  /** ETag of the first page last seen; sent as `If-None-Match` so an unchanged resource costs a 304. */
  @Column({ type: 'text', nullable: true }) etag: string | null;
  @Column({ type: 'text', default: 'idle' }) status: 'idle' | 'running' | 'failed';
  @Column({ name: 'last_started_at', type: 'timestamptz', nullable: true }) lastStartedAt: Date | null;
  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true }) lastSuccessAt: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer }) requests: number;
  @Column({ name: 'not_modified', type: 'bigint', default: 0, transformer: bigintTransformer }) notModified: number;
  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer }) items: number;
}
