import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '#libs/db';

/** What a stored credential is: an ecosystem's GitHub token, its GitHub App installation, or one of its webhook secrets. */
export type GithubCredentialKind = 'token' | 'app' | 'webhook_secret';

/**
 * A GitHub credential of an ecosystem, its secret sealed with AES-256-GCM (migration
 * 1764900000020-GithubCredentials). Only `sealed` holds the secret; everything else is plain.
 */
@Entity('github_credential')
export class GithubCredentialEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'ecosystem_id', type: 'integer' }) ecosystemId: number;
  @Column({ type: 'text' }) kind: GithubCredentialKind;
  @Column({ name: 'app_id', type: 'bigint', nullable: true, transformer: bigintTransformer }) appId: number | null;
  @Column({ name: 'installation_id', type: 'bigint', nullable: true, transformer: bigintTransformer }) installationId: number | null;
  /** Id of the key that sealed the value (libs/secrets `secretKeyId`). */
  @Column({ name: 'key_id', type: 'text' }) keyId: string;
  /** Nonce ‖ ciphertext ‖ tag. */
  @Column({ type: 'bytea' }) sealed: Buffer;
  /** Keyed fingerprint of the value, for display (12 hex digits). */
  @Column({ type: 'text' }) fingerprint: string;
  @Column({ name: 'set_at', type: 'timestamptz' }) setAt: Date;
  /** Who set it: `api-token:<id>`, `member:<id>`, or null. */
  @Column({ name: 'set_by', type: 'text', nullable: true }) setBy: string | null;
}
