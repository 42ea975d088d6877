import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** Where an identity lives: a GitHub account, an e-mail address, or the deleted-account sentinel. */
export type IdentityPlatform = 'github' | 'email' | 'deleted';

/**
 * Why an identity belongs to its member: `api` (GitHub linked it), `noreply` (parsed from an
 * `ID+login@users.noreply.github.com` address), `login` (inferred from a login-only noreply
 * address), `bot_list` (an address or login on Cambrian's maintained bot list), `self` (the
 * identity created the member).
 */
export type IdentityEvidence = 'api' | 'noreply' | 'login' | 'bot_list' | 'self';

/** One way a member shows up in the data; unique by (platform, key). */
@Entity('identity')
export class IdentityEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId: string;
  @Column({ type: 'text' }) platform: IdentityPlatform;
  /** GitHub: the numeric account id as text; e-mail: the lower-cased address. */
  @Column({ type: 'text' }) key: string;
  @Column({ name: 'github_account_id', type: 'bigint', nullable: true, transformer: bigintTransformer })
  githubAccountId: number | null;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName: string | null;
  @Column({ type: 'text', default: 'self' }) evidence: IdentityEvidence;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
