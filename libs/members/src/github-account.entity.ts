import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** GitHub's account types as the REST API reports them (`user.type`). */
export type GithubAccountType = 'User' | 'Bot' | 'Organization' | 'Mannequin';

/** A GitHub account, keyed by its numeric id (logins change on rename and can be reused). */
@Entity('github_account')
export class GithubAccountEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintTransformer }) id: number;
  @Column({ type: 'text' }) login: string;
  @Column({ type: 'text' }) type: GithubAccountType;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ name: 'avatar_url', type: 'text', nullable: true }) avatarUrl: string | null;
  @Column({ name: 'member_id', type: 'uuid', nullable: true }) memberId: string | null;
  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' }) firstSeenAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
