import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** What a member is: a person, a bot account, or the one sentinel for deleted accounts. */
export type MemberKind = 'person' | 'bot' | 'deleted';

/** A person in the community (or a bot, or the deleted-account sentinel), at any stage. */
@Entity('member')
export class MemberEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', default: 'person' }) kind: MemberKind;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName: string | null;
  /** Current GitHub login when the member has a GitHub account (it changes on rename). */
  @Column({ type: 'text', nullable: true }) login: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
