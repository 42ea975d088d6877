import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * What GitHub answered to "Get a user" (`GET /users/{username}`) for one account:
 * - `found`: the profile, with its `company` field (null or blank: none) and the answer's ETag;
 * - `missing`: `404` — the account was deleted, or renamed before Cambrian saw its new login;
 * - `other-account`: the login now belongs to another account (a reused login): nothing is
 *   learnt about this one, but its company can no longer be observed, so an open range ends.
 */
export type ProfileAnswer =
  | { kind: 'found'; company: string | null; etag: string | null }
  | { kind: 'missing' }
  | { kind: 'other-account' };

/** What recording one answer changed. */
export interface ProfileRecordResult {
  /** The account's company changed (a range closed and/or one opened). */
  companyChanged: boolean;
  /** The account's member (null when it has none), whose automatic affiliations follow the change. */
  memberId: string | null;
}

/**
 * A company field as stored: control characters (C0, C1: a NUL is text Postgres refuses) read as
 * whitespace, trimmed, inner whitespace folded, at most 200 characters (code points, never half a
 * surrogate pair; GitHub allows 255, longer text is no organisation name); blank gives null.
 */
export function normaliseProfileCompany(company: string | null | undefined): string | null {
  const text = (company ?? '').normalize('NFKC').replace(/[\s\p{Cc}]+/gu, ' ').trim();
  return text === '' ? null : Array.from(text).slice(0, 200).join('').trimEnd();
}

/**
 * Records what GitHub profiles say about companies (issue 4: affiliations whose source is the
 * profile's company field). A profile says where someone is *now*: a company is kept as a range
 * `[observed_from, observed_until)` in `github_profile_company`, open from the fetch that first
 * saw it; a fetch that sees another company (or none, or a `404`) closes it at that instant and
 * opens the next one. Affiliations are derived from those ranges by `AffiliationRecomputeService`.
 */
@Injectable()
export class ProfileCompanyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records one answer for account `accountId` (GitHub user id) observed at `at` (UTC instant),
   * in one transaction under a lock on the account row: the company ranges, `github_account.company`,
   * the ETag to send next time, the fetch instant and, for a `404`, since when it is missing.
   * Recording the same answer again changes no range (only the fetch instant).
   * @returns whether the company changed, and the account's member; `memberId` null and no change
   *   when the account row is gone.
   */
  async record(accountId: number, answer: ProfileAnswer, at: Date): Promise<ProfileRecordResult> {
    return this.dataSource.transaction(async (manager) => {
      const [account]: Array<{ member_id: string | null }> = await manager.query(
        `SELECT member_id FROM github_account WHERE id = $1 FOR UPDATE`,
        [accountId],
      );
      if (!account) return { companyChanged: false, memberId: null };
      if (answer.kind === 'other-account') {
        // its login names someone else now: this account's company can no longer be observed, so a range
        // still open ends here (kept open, it would credit the member to that company for ever)
        const companyChanged = await this.observe(manager, accountId, null, at);
        await manager.query(`UPDATE github_account SET company = NULL, profile_etag = NULL, profile_fetched_at = $2 WHERE id = $1`, [accountId, at]);
        return { companyChanged, memberId: account.member_id };
      }
      const company = answer.kind === 'found' ? normaliseProfileCompany(answer.company) : null;
      const companyChanged = await this.observe(manager, accountId, company, at);
      await manager.query(
        `UPDATE github_account SET company = $2, profile_etag = $3, profile_fetched_at = $4,
                profile_missing_at = CASE WHEN $5::boolean THEN coalesce(profile_missing_at, $4) END
          WHERE id = $1`,
        [accountId, company, answer.kind === 'found' ? answer.etag : null, at, answer.kind === 'missing'],
      );
      return { companyChanged, memberId: account.member_id };
    });
  }

  /** Closes the open range when `company` differs from it and opens one for `company` (none for null). */
  private async observe(manager: EntityManager, accountId: number, company: string | null, at: Date): Promise<boolean> {
    const [open]: Array<{ company: string; observed_from: Date }> = await manager.query(
      `SELECT company, observed_from FROM github_profile_company WHERE account_id = $1 AND observed_until IS NULL`,
      [accountId],
    );
    if ((open?.company ?? null) === company) return false;
    if (open) {
      // a range cannot be empty: a change seen at (or, with a clock step back, before) its start replaces it
      if (at.getTime() > open.observed_from.getTime()) {
        await manager.query(`UPDATE github_profile_company SET observed_until = $3 WHERE account_id = $1 AND observed_from = $2`, [
          accountId,
          open.observed_from,
          at,
        ]);
      } else {
        await manager.query(`DELETE FROM github_profile_company WHERE account_id = $1 AND observed_from = $2`, [accountId, open.observed_from]);
      }
    }
    if (company !== null) {
      await manager.query(
        `INSERT INTO github_profile_company (account_id, company, observed_from) VALUES ($1, $2, greatest($3::timestamptz, $4::timestamptz))`,
        [accountId, company, at, open && at.getTime() <= open.observed_from.getTime() ? open.observed_from : at],
      );
    }
    return true;
  }
}
