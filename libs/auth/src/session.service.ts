import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Prefix of a session secret (the session cookie's value). */
export const SESSION_SECRET_PREFIX = 'cms_';
const SESSION_PATTERN = /^cms_[A-Za-z0-9_-]{43}$/;

/** `last_seen_at` is written at most once per this interval (seconds). */
export const SESSION_LAST_SEEN_RESOLUTION_SECONDS = 60;

/** Role of a signed-in person. */
export type SessionRole = 'admin' | 'member';

/** A stored sign-in session (never its secret or hash). */
export interface AuthSession {
  id: string;
  memberId: string;
  githubAccountId: number;
  githubLogin: string;
  role: SessionRole;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
}

/** What {@link SessionService.create} needs. */
export interface CreateSessionInput {
  memberId: string;
  githubAccountId: number;
  githubLogin: string;
  role: SessionRole;
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

/** The outcome of checking a session secret; `reason` says why one is refused. */
export type SessionCheck = { kind: 'valid'; session: AuthSession } | { kind: 'refused'; reason: 'unknown' | 'expired' | 'revoked' };

interface SessionRow {
  id: string;
  member_id: string;
  github_account_id: string;
  github_login: string;
  role: SessionRole;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
}

const COLUMNS = 'id, member_id, github_account_id, github_login, role, created_at, expires_at, revoked_at, last_seen_at';

function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Server-side sign-in sessions (table `auth_session`). The secret (`cms_` + 32 random bytes, base64url) lives
 * only in the person's cookie; the table holds its SHA-256, so a leaked table signs no one in.
 */
@Injectable()
export class SessionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a new session and returns it with its secret (to be set as the cookie, once). */
  async create(input: CreateSessionInput): Promise<{ session: AuthSession; secret: string }> {
    const secret = SESSION_SECRET_PREFIX + randomBytes(32).toString('base64url');
    const [row]: SessionRow[] = await this.dataSource.query(
      `INSERT INTO auth_session (token_hash, member_id, github_account_id, github_login, role, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING ${COLUMNS}`,
      [hashSessionSecret(secret), input.memberId, input.githubAccountId, input.githubLogin, input.role, input.ttlSeconds],
    );
    return { session: toSession(row), secret };
  }

  /**
   * Checks a session secret: valid, or refused as unknown (also malformed), expired or revoked. Records the use
   * in `last_seen_at` at most once per {@link SESSION_LAST_SEEN_RESOLUTION_SECONDS}.
   */
  async check(secret: string): Promise<SessionCheck> {
    if (!SESSION_PATTERN.test(secret)) return { kind: 'refused', reason: 'unknown' };
    const rows: Array<SessionRow & { expired: boolean; stale_seen: boolean }> = await this.dataSource.query(
      `SELECT ${COLUMNS}, expires_at <= now() AS expired,
              (last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => $2)) AS stale_seen
         FROM auth_session WHERE token_hash = $1`,
      [hashSessionSecret(secret), SESSION_LAST_SEEN_RESOLUTION_SECONDS],
    );
    const row = rows[0];
    if (!row) return { kind: 'refused', reason: 'unknown' };
    if (row.revoked_at) return { kind: 'refused', reason: 'revoked' };
    if (row.expired) return { kind: 'refused', reason: 'expired' };
    if (row.stale_seen) {
      const [[updated]]: [Array<{ last_seen_at: Date }>, number] = await this.dataSource.query(
        `UPDATE auth_session SET last_seen_at = now() WHERE id = $1 RETURNING last_seen_at`,
        [row.id],
      );
      if (updated) row.last_seen_at = updated.last_seen_at;
    }
    return { kind: 'valid', session: toSession(row) };
  }

  /** Revokes the session of a secret (sign-out). @returns true when this call revoked it. */
  async revoke(secret: string): Promise<boolean> {
    if (!SESSION_PATTERN.test(secret)) return false;
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE auth_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id`,
      [hashSessionSecret(secret)],
    );
    return rows.length > 0;
  }
}

function toSession(row: SessionRow): AuthSession {
  return {
    id: row.id,
    memberId: row.member_id,
    githubAccountId: Number(row.github_account_id),
    githubLogin: row.github_login,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
  };
}
