import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import {
  AffiliationRecomputeService,
  GHOST_ACCOUNT_ID,
  isBotAccount,
  ProfileCompanyService,
  type AffiliationRecomputeResult,
  type ProfileAnswer,
} from '#libs/members';
import { isNotFound, isNotModified, requestStatus, type GithubClient } from '../client/github-client.js';
import { GithubClients } from '../client/github-clients.service.js';
import { SyncHealthCache } from '../sync/sync-health-cache.js';

/** Profiles asked at once in one run (each request also waits for the token's budget). */
const PROFILE_CONCURRENCY = 4;
/** Candidate pages read per run at most, when many due accounts answered 304 recently. */
const MAX_CANDIDATE_PAGES = 20;

/** Options of {@link ProfileSyncService.syncProfiles}; defaults from the configuration. */
export interface ProfileSyncOptions {
  /** Most profiles asked (`GITHUB_PROFILE_SYNC_BATCH`). */
  limit?: number;
  /** Seconds before a profile is asked again (`GITHUB_PROFILE_REFRESH_SECONDS`). */
  refreshSeconds?: number;
  /** The run's instant (UTC): ranges open and close at it. Default: now. */
  now?: Date;
}

/** What one profile sync run did. */
export interface ProfileSyncResult {
  /** Profiles asked (one request each, retries aside). */
  requests: number;
  /** Of which answered `304 Not Modified` (nothing written to Postgres). */
  notModified: number;
  /** Answered `200` (ETag, fetch instant and company written). */
  fetched: number;
  /** Answered `404`: deleted accounts, or renamed before Cambrian saw the new login. */
  missing: number;
  /** Accounts whose company changed (a range closed and/or opened). */
  companiesChanged: number;
  /** The recompute of the members whose company changed; null when none did. */
  affiliations: AffiliationRecomputeResult | null;
}

/** A GitHub account due for a profile fetch. */
interface DueAccount {
  id: number;
  login: string;
  etag: string | null;
  /** Answered 404 at the last fetch written. */
  missing: boolean;
}

/**
 * Reads members' GitHub profiles (GitHub REST "Get a user", `GET /users/{username}`) for their
 * `company` field, the source of `profile` affiliations (issue 4), cheaply:
 * - only accounts of members (type `User`, not bots, erased or the `ghost` placeholder) not asked
 *   within `GITHUB_PROFILE_REFRESH_SECONDS`, those asked longest ago (never first), at most
 *   `GITHUB_PROFILE_SYNC_BATCH` per run;
 * - conditionally: the stored ETag goes out as `If-None-Match`, so an unchanged profile costs a
 *   `304` (free of rate limit) and writes no row: the check is remembered in Redis
 *   (`SyncHealthCache.profilesChecked`; in Postgres only when Redis refuses it), as is a `404`
 *   for an account already recorded missing;
 * - through the environment's client (`GITHUB_TOKEN` or `GITHUB_APP_*`: a profile belongs to no
 *   ecosystem), with its throttling, retries and Redis token budget.
 * Answers are recorded one account at a time (`ProfileCompanyService`), so a run that fails
 * part-way keeps what it learnt; then the automatic affiliations of the members whose company
 * changed are recomputed. A run's status and counters go to sync health in Redis
 * (`SyncHealthCache.forProfiles`). Running it twice in a row asks nothing the second time.
 */
@Injectable()
export class ProfileSyncService {
  private readonly logger = new Logger(ProfileSyncService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CAMBRIAN_CONFIG)
    private readonly config: Pick<CambrianConfig, 'GITHUB_PROFILE_SYNC_BATCH' | 'GITHUB_PROFILE_REFRESH_SECONDS'>,
    private readonly clients: GithubClients,
    private readonly cache: SyncHealthCache,
    private readonly profiles: ProfileCompanyService,
    private readonly recompute: AffiliationRecomputeService,
  ) {}

  /**
   * One run (see the class). Errors other than `304` and `404` (a rate limit the client gave up
   * on, a 5xx after retries, 401) end the run and are thrown, after the run is recorded failed;
   * answers recorded before stay.
   */
  async syncProfiles(options: ProfileSyncOptions = {}): Promise<ProfileSyncResult> {
    const at = options.now ?? new Date();
    const limit = options.limit ?? this.config.GITHUB_PROFILE_SYNC_BATCH;
    const refreshSeconds = options.refreshSeconds ?? this.config.GITHUB_PROFILE_REFRESH_SECONDS;
    const cutoff = new Date(at.getTime() - refreshSeconds * 1000);
    const result: ProfileSyncResult = { requests: 0, notModified: 0, fetched: 0, missing: 0, companiesChanged: 0, affiliations: null };
    const changedMembers = new Set<string>();
    await this.cache.profilesStarted().catch((error: unknown) => this.warnRedis(error));
    try {
      const due = await this.dueAccounts(limit, cutoff);
      if (due.length > 0) {
        const client = await this.clients.forEcosystem(null);
        const unchanged: number[] = [];
        await forEachConcurrently(due, PROFILE_CONCURRENCY, async (account) => {
          result.requests += 1;
          const answer = await this.ask(client, account);
          if (answer === 'not-modified' || (answer.kind === 'missing' && account.missing)) {
            // a 404 again for an account already recorded missing changes nothing either
            if (answer === 'not-modified') result.notModified += 1;
            else result.missing += 1;
            unchanged.push(account.id);
            return;
          }
          if (answer.kind === 'missing') result.missing += 1;
          else result.fetched += 1;
          const recorded = await this.profiles.record(account.id, answer, at);
          if (recorded.companyChanged) {
            result.companiesChanged += 1;
            if (recorded.memberId) changedMembers.add(recorded.memberId);
          }
        }).finally(() => this.rememberChecks(unchanged, at));
      }
      if (changedMembers.size > 0) result.affiliations = await this.recompute.recompute({ memberIds: [...changedMembers] });
    } catch (error) {
      const status = requestStatus(error);
      const message = error instanceof Error ? error.message : String(error);
      await this.cache
        .profilesFinished('failed', counters(result), status ? `GitHub answered ${status} to "Get a user": ${message}` : message)
        .catch((redisError: unknown) => this.warnRedis(redisError));
      throw error;
    }
    await this.cache.profilesFinished('idle', counters(result)).catch((error: unknown) => this.warnRedis(error));
    await this.cache.forgetProfileChecks(cutoff).catch((error: unknown) => this.warnRedis(error));
    return result;
  }

  /** Asks GitHub for one profile, conditionally; `not-modified` for a 304. */
  private async ask(client: GithubClient, account: DueAccount): Promise<ProfileAnswer | 'not-modified'> {
    try {
      const response = await client.request('GET /users/{username}', {
        username: account.login,
        headers: account.etag ? { 'if-none-match': account.etag } : {},
      });
      const body = response.data as { id?: unknown; company?: unknown };
      // a login is reused after a rename or deletion: that profile is someone else's
      if (Number(body.id) !== account.id) return { kind: 'other-account' };
      const etag = typeof response.headers.etag === 'string' ? response.headers.etag : null;
      return { kind: 'found', company: typeof body.company === 'string' ? body.company : null, etag };
    } catch (error) {
      if (isNotModified(error)) return 'not-modified';
      if (isNotFound(error)) return { kind: 'missing' };
      throw error;
    }
  }

  /**
   * Accounts due for a fetch: of a member, type `User`, not a bot, not erased (negative
   * surrogate ids, empty logins) nor `ghost`; not fetched since `cutoff` in Postgres nor
   * answered 304 since then in Redis; longest-unasked first, at most `limit`.
   */
  private async dueAccounts(limit: number, cutoff: Date): Promise<DueAccount[]> {
    const due: DueAccount[] = [];
    let after: { at: Date; id: number } | null = null;
    for (let page = 0; page < MAX_CANDIDATE_PAGES && due.length < limit; page += 1) {
      const size = Math.min(5000, (limit - due.length) * 2);
      const rows: Array<{ id: string; login: string; type: string; profile_etag: string | null; missing: boolean; due_at: Date }> = await this.dataSource.query(
        `SELECT id::text AS id, login, type, profile_etag, profile_missing_at IS NOT NULL AS missing,
                coalesce(profile_fetched_at, '-infinity'::timestamptz) AS due_at
           FROM github_account
          WHERE member_id IS NOT NULL AND type = 'User' AND id > 0 AND id <> $1 AND login <> ''
            AND coalesce(profile_fetched_at, '-infinity'::timestamptz) <= $2
            AND ($3::timestamptz IS NULL OR (coalesce(profile_fetched_at, '-infinity'::timestamptz), id) > ($3::timestamptz, $4::bigint))
          ORDER BY coalesce(profile_fetched_at, '-infinity'::timestamptz), id
          LIMIT $5`,
        [GHOST_ACCOUNT_ID, cutoff, after?.at ?? null, after?.id ?? null, size],
      );
      if (rows.length === 0) break;
      const ids = rows.map((row) => Number(row.id));
      const checks = await this.cache.profileChecks(ids).catch((error: unknown) => {
        this.warnRedis(error);
        return new Map<number, number>();
      });
      for (const row of rows) {
        const id = Number(row.id);
        const checkedAt = checks.get(id);
        if (checkedAt !== undefined && checkedAt > cutoff.getTime()) continue;
        if (isBotAccount({ login: row.login, type: row.type })) continue;
        due.push({ id, login: row.login, etag: row.profile_etag, missing: row.missing });
        if (due.length === limit) break;
      }
      if (rows.length < size) break;
      const last = rows[rows.length - 1];
      after = { at: last.due_at, id: Number(last.id) };
    }
    return due;
  }

  /** Remembers 304s in Redis; when Redis refuses, writes the fetch instant to Postgres instead. */
  private async rememberChecks(accountIds: number[], at: Date): Promise<void> {
    if (accountIds.length === 0) return;
    try {
      await this.cache.profilesChecked(accountIds, at);
    } catch (error) {
      this.warnRedis(error);
      await this.dataSource.query(`UPDATE github_account SET profile_fetched_at = $2 WHERE id = ANY($1::bigint[])`, [accountIds, at]);
    }
  }

  private warnRedis(error: unknown): void {
    this.logger.warn(`profile sync health not recorded in Redis: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function counters(result: ProfileSyncResult): { requests: number; notModified: number; items: number } {
  return { requests: result.requests, notModified: result.notModified, items: result.fetched + result.missing };
}

/** Runs `work` over `items`, at most `concurrency` at once; the first failure rejects (after the running ones settle). */
async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | null = null;
  const lane = async () => {
    while (!failed && next < items.length) {
      const item = items[next];
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failed) throw (failed as { error: unknown }).error;
}
