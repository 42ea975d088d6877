import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { API_TOKEN_SCOPES, type ApiTokenEntity, type ApiTokenRole, type ApiTokenScope } from './api-token.entity.js';
import { generateApiTokenSecret, hashApiTokenSecret, looksLikeApiToken } from './api-token-secret.js';
import { AuthException, AuthExceptionCode } from './auth.exception.js';

/** A stored API token as callers see it: everything but the hash. */
export type ApiToken = Omit<ApiTokenEntity, 'tokenHash'>;

/** What {@link ApiTokenService.create} needs. */
export interface CreateApiTokenInput {
  /** A label for people (who or what uses the token); 1–100 characters. */
  name: string;
  role: ApiTokenRole;
  /** UTC instant after which the token is refused; null or absent = never expires. */
  expiresAt?: Date | null;
  /** What the token may do; absent = every scope (`read`, `write`). */
  scopes?: ApiTokenScope[];
}

/** The outcome of checking a secret; `reason` says why a token is refused (malformed secrets are `unknown`). */
export type ApiTokenCheck = { kind: 'valid'; token: ApiToken } | { kind: 'refused'; reason: 'unknown' | 'expired' | 'revoked' };

/** A created token and its secret; the secret is returned here once and never stored. */
export interface CreatedApiToken {
  token: ApiToken;
  secret: string;
}

/** `last_used_at` is written at most once per this interval (seconds), so reads stay reads. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

const createInputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  role: z.enum(['admin']),
  expiresAt: z
    .date()
    .nullish()
    .refine((value) => !value || value.getTime() > Date.now(), 'must be in the future'),
  scopes: z
    .array(z.enum(['read', 'write']))
    .min(1, 'must name at least one scope')
    .transform((scopes) => [...new Set(scopes)])
    .optional(),
});

const uuidSchema = z.uuid();

interface ApiTokenRow {
  id: string;
  name: string;
  role: ApiTokenRole;
  scopes: ApiTokenScope[];
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, name, role, scopes, created_at, expires_at, revoked_at, last_used_at';

/**
 * Creates, verifies and revokes bearer tokens for scripts and admins. Only the SHA-256 of a
 * secret is stored (see {@link hashApiTokenSecret}); the secret is shown once, at creation.
 * Works on any TypeORM data source (apps/api through Nest, apps/cli directly).
 */
@Injectable()
export class ApiTokenService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores a new token and returns it with its secret (`cmb_` + 32 random bytes, base64url).
   * @throws AuthException BAD_USER_INPUT for an empty or over-long name, an unknown role or
   *   scope, no scope, or an expiry that is not in the future.
   */
  async create(input: CreateApiTokenInput): Promise<CreatedApiToken> {
    const parsed = createInputSchema.safeParse(input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new AuthException(`Invalid API token: ${detail}`, AuthExceptionCode.BAD_USER_INPUT);
    }
    const secret = generateApiTokenSecret();
    const [row]: ApiTokenRow[] = await this.dataSource.query(
      `INSERT INTO api_token (name, role, token_hash, expires_at, scopes) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [parsed.data.name, parsed.data.role, hashApiTokenSecret(secret), parsed.data.expiresAt?.toISOString() ?? null, parsed.data.scopes ?? [...API_TOKEN_SCOPES]],
    );
    return { token: toApiToken(row), secret };
  }

  /** The token a secret belongs to, or null when it is malformed, unknown, expired or revoked (see {@link check}). */
  async verify(secret: string): Promise<ApiToken | null> {
    const check = await this.check(secret);
    return check.kind === 'valid' ? check.token : null;
  }

  /**
   * Checks a secret: valid, or refused as unknown (also malformed), expired or revoked, so that the
   * caller can say which. Records the use in `last_used_at`, at most once per
   * {@link LAST_USED_RESOLUTION_SECONDS} so that checking every request stays cheap.
   */
  async check(secret: string): Promise<ApiTokenCheck> {
    if (!looksLikeApiToken(secret)) return { kind: 'refused', reason: 'unknown' };
    const rows: Array<ApiTokenRow & { expired: boolean; stale_use: boolean }> = await this.dataSource.query(
      `SELECT ${COLUMNS}, (expires_at IS NOT NULL AND expires_at <= now()) AS expired,
              (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2)) AS stale_use
         FROM api_token
        WHERE token_hash = $1`,
      [hashApiTokenSecret(secret), LAST_USED_RESOLUTION_SECONDS],
    );
    const row = rows[0];
    if (!row) return { kind: 'refused', reason: 'unknown' };
    if (row.revoked_at) return { kind: 'refused', reason: 'revoked' };
    if (row.expired) return { kind: 'refused', reason: 'expired' };
    if (row.stale_use) {
      // TypeORM answers an UPDATE on Postgres with [rows, affected count]
      const [[updated]]: [Array<{ last_used_at: Date }>, number] = await this.dataSource.query(
        `UPDATE api_token SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))
          RETURNING last_used_at`,
        [row.id, LAST_USED_RESOLUTION_SECONDS],
      );
      if (updated) row.last_used_at = updated.last_used_at;
    }
    return { kind: 'valid', token: toApiToken(row) };
  }

  /**
   * Revokes a token from now on; revoking a revoked token changes nothing.
   * @returns true when this call revoked it, false when it was revoked already.
   * @throws AuthException BAD_USER_INPUT for an id that is not a UUID, NOT_FOUND for an unknown id.
   */
  async revoke(id: string): Promise<boolean> {
    if (!uuidSchema.safeParse(id).success) {
      throw new AuthException(`API token id must be a UUID, got "${id}"`, AuthExceptionCode.BAD_USER_INPUT);
    }
    const [revoked]: [ApiTokenRow[], number] = await this.dataSource.query(
      `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [id],
    );
    if (revoked.length) return true;
    const exists: unknown[] = await this.dataSource.query(`SELECT 1 FROM api_token WHERE id = $1`, [id]);
    if (!exists.length) throw new AuthException(`No API token with id ${id}`, AuthExceptionCode.NOT_FOUND);
    return false;
  }

  /** Every token, newest first, without hashes (for `cambrian token list`). */
  async list(): Promise<ApiToken[]> {
    const rows: ApiTokenRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM api_token ORDER BY created_at DESC, id`,
    );
    return rows.map(toApiToken);
  }
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    scopes: row.scopes,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
