import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What an ecosystem tracks: every repository of an organisation or user, or one repository. */
export type TrackedSourceKind = 'organization' | 'user' | 'repository';

/** One tracked organisation, user (`name` = login) or repository (`name` = `owner/name`). */
@Entity('tracked_source')
export class TrackedSourceEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'ecosystem_id', type: 'integer' }) ecosystemId: number;
  @Column({ type: 'text' }) kind: TrackedSourceKind;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'boolean', default: false }) paused: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
