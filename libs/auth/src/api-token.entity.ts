import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Roles an API token can carry. */
export type ApiTokenRole = 'admin';

/** What a token may do: `read` runs GraphQL queries, `write` runs mutations. */
export type ApiTokenScope = 'read' | 'write';

/** Every scope, the default of a new token. */
export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = ['read', 'write'];

/** A bearer token for scripts and admins; only the SHA-256 of the secret is stored. */
@Entity('api_token')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) role: ApiTokenRole;
  @Column({ name: 'token_hash', type: 'text', unique: true }) tokenHash: string;
  @Column({ type: 'text', array: true, default: () => "'{read,write}'" }) scopes: ApiTokenScope[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
}
