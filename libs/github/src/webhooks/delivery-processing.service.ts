import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ActivityService, IdentityService, isDeletedAccount, type GithubActor } from '#libs/members';
import type { DeliveryStatus } from '../entities/webhook-delivery.entity.js';
import { INCOMING_STATE_IS_CURRENT, OBSERVATION_INSTANT_ADVANCES, SET_STATE_OBSERVED_AT, setWhenCurrent } from '../repository-state-sql.js';
import type { CommitUpsert, DeliveryPlan, IssueUpsert, PullRequestUpsert, RepositoryUpsert } from './normalize/delivery-plan.js';
import { deliveryScopeRefusal } from './delivery-scope.js';
import { normalizeDelivery } from './normalize/normalize-delivery.js';

/** What processing a stored delivery did. */
export interface DeliveryProcessingResult {
  /**
   * `processed` / `ignored`: the delivery's new status; `already-done`: it was processed or
   * ignored before (a replayed job: nothing changed); `missing`: no such row.
   */
  status: Extract<DeliveryStatus, 'processed' | 'ignored'> | 'already-done' | 'missing';
  /** Activities inserted by this run (0 on a replay). */
  activitiesInserted: number;
  /**
   * Why the delivery was refused (status `ignored`, nothing written, the reason kept in its
   * `error`): signed with an ecosystem's stored secret but touching a repository of no concern to it.
   */
  refused?: string;
}

/** Whether this run is the job's last attempt: on failure the delivery is then marked `failed`. */
export interface ProcessingAttempt {
  finalAttempt: boolean;
}

interface StoredDelivery {
  event: string;
  payload: Record<string, unknown>;
  received_at: Date;
  verified_by_ecosystem_id: number | null;
}

/**
 * The worker side of webhooks: re-reads a stored delivery by row id, normalises it (pure,
 * `normalizeDelivery`), checks that a delivery verified by an ecosystem's stored secret touches
 * only that ecosystem's repositories (`deliveryScopeRefusal`; refused: `ignored`, with the reason
 * in `error`, nothing written) and applies the plan — repository, accounts, pull requests, issues and
 * commits upserted, activities recorded with `ON CONFLICT (source_key) DO NOTHING`, stars removed
 * or restored — then sets the delivery's status. Every step is idempotent, so a job delivered
 * twice (BullMQ is at-least-once) or a delivery redelivered by GitHub changes nothing.
 */
@Injectable()
export class DeliveryProcessingService {
  private readonly logger = new Logger(DeliveryProcessingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: IdentityService,
    private readonly activities: ActivityService,
  ) {}

  /**
   * Processes `webhook_delivery` row `deliveryRowId` (the row's `attempts` counts each run).
   * A delivery already `processed` or `ignored` is left alone.
   * @throws the processing error, after recording it on the row (status `failed` on the final
   *   attempt, otherwise still `received`), so that BullMQ retries.
   */
  async process(deliveryRowId: string, attempt: ProcessingAttempt): Promise<DeliveryProcessingResult> {
    const rows: StoredDelivery[] = await this.dataSource.query(
      // a SELECT over the CTE, so that TypeORM returns the rows (not [rows, count] as for UPDATE)
      `WITH claimed AS (
         UPDATE webhook_delivery SET attempts = attempts + 1
         WHERE id = $1 AND status IN ('received', 'failed')
         RETURNING event, payload, received_at, verified_by_ecosystem_id)
       SELECT * FROM claimed`,
      [deliveryRowId],
    );
    if (rows.length === 0) {
      const [existing] = await this.dataSource.query(`SELECT 1 FROM webhook_delivery WHERE id = $1`, [deliveryRowId]);
      if (!existing) this.logger.warn(`webhook_delivery ${deliveryRowId} not found; nothing to process`);
      return { status: existing ? 'already-done' : 'missing', activitiesInserted: 0 };
    }
    const [delivery] = rows;
    try {
      const plan = normalizeDelivery(delivery.event, delivery.payload, { receivedAt: new Date(delivery.received_at) });
      const refused =
        delivery.verified_by_ecosystem_id === null ? null : await deliveryScopeRefusal(this.dataSource.manager, delivery.verified_by_ecosystem_id, plan);
      if (refused) {
        // final: a retry or a replay would be refused again; the row says why
        await this.dataSource.query(`UPDATE webhook_delivery SET status = 'ignored', error = $2, processed_at = now() WHERE id = $1`, [
          deliveryRowId,
          refused.slice(0, 2000),
        ]);
        this.logger.warn(`webhook_delivery ${deliveryRowId} refused: ${refused}`);
        return { status: 'ignored', activitiesInserted: 0, refused };
      }
      const activitiesInserted = await this.apply(plan, new Date(delivery.received_at));
      await this.dataSource.query(
        `UPDATE webhook_delivery SET status = $2, error = NULL, processed_at = now() WHERE id = $1`,
        [deliveryRowId, plan.outcome],
      );
      return { status: plan.outcome, activitiesInserted };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource
        .query(`UPDATE webhook_delivery SET error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1`, [
          deliveryRowId,
          message.slice(0, 2000),
          attempt.finalAttempt,
        ])
        .catch((recordError: Error) => this.logger.error(`could not record the failure of delivery row ${deliveryRowId}: ${recordError.message}`));
      throw error;
    }
  }

  /**
   * Records the end of a delivery's job that its processing never saw: BullMQ failed the job without
   * running it — it stalled more often than the queue allows (its workers died mid-job, twice by
   * default), or it was removed from the retries another way. The row, still `received`, becomes
   * `failed` with `reason`, so that admins see it among failed deliveries and can redeliver it; a row
   * whose processing already recorded an outcome (`processed`, `ignored`, or `failed` on its last
   * attempt) is left as it is.
   * @returns whether the row changed.
   */
  async recordJobFailure(deliveryRowId: string, reason: string): Promise<boolean> {
    const changed: Array<{ id: string }> = await this.dataSource.query(
      `UPDATE webhook_delivery SET status = 'failed', error = $2 WHERE id = $1 AND status = 'received' RETURNING id`,
      [deliveryRowId, `job failed without processing: ${reason}`.slice(0, 2000)],
    );
    if (changed.length > 0) this.logger.warn(`webhook_delivery ${deliveryRowId} marked failed: its job failed without processing (${reason})`);
    return changed.length > 0;
  }

  /** Applies a plan of the delivery received at `receivedAt`; returns the number of activities inserted. */
  private async apply(plan: DeliveryPlan, receivedAt: Date): Promise<number> {
    if (plan.repository) await upsertRepository(this.dataSource.manager, plan.repository, receivedAt);
    // accounts referenced by foreign keys exist before the rows that reference them
    const accounts = [...plan.pullRequests.flatMap((pr) => [pr.author, pr.mergedBy]), ...plan.issues.map((issue) => issue.author)];
    await this.identities.resolveMany(
      accounts.filter((account): account is GithubActor => !!account && !isDeletedAccount(account)).map((account) => ({ kind: 'github' as const, account })),
    );
    const commitAuthors = await this.identities.resolveMany(plan.commits.map((commit) => commit.author));
    const upsertRows = async (manager: EntityManager) => {
      for (const pr of plan.pullRequests) await upsertPullRequest(manager, pr);
      for (const issue of plan.issues) await upsertIssue(manager, issue);
      await upsertCommits(manager, plan.commits, commitAuthors.map((resolved) => resolved?.identityId ?? null));
    };
    // one statement (an issue comment's issue, a pull request event's pull request) is atomic by itself
    if (plan.pullRequests.length + plan.issues.length + (plan.commits.length > 0 ? 2 : 0) > 1) await this.dataSource.transaction(upsertRows);
    else await upsertRows(this.dataSource.manager);
    const { inserted } = await this.activities.record(plan.activities);
    for (const key of plan.restorations) await this.activities.unmarkRemoved(key);
    for (const removal of plan.removals) await this.activities.markRemoved(removal.sourceKey, removal.removedAt);
    return inserted;
  }
}

/**
 * Inserts or refreshes a repository by numeric id, as the delivery received at `observedAt` (UTC)
 * saw it; owner and name change only when the plan says so. State observed before the stored state
 * is left alone (`repository-state-sql.ts`), so a delivery processed late never undoes newer counts,
 * flags, topics or a newer rename. A delivery that says nothing new about the repository (most of
 * them: every comment names it) writes nothing: no row version, no WAL, no `updated_at` bump, and takes
 * no row lock (a read decides; the upsert alone would lock the row and commit a transaction of its own
 * for each delivery, on rows every delivery of a busy repository touches).
 */
async function upsertRepository(manager: EntityManager, repository: RepositoryUpsert, observedAt: Date): Promise<void> {
  const parameters = [
    repository.id,
    repository.owner,
    repository.name,
    repository.fullName,
    repository.defaultBranch,
    repository.isFork,
    repository.isArchived,
    repository.stargazersCount,
    repository.forksCount,
    repository.createdAt,
    repository.pushedAt,
    repository.updateName,
    repository.topics,
    observedAt,
  ];
  // INSERT ... ON CONFLICT DO UPDATE locks the conflicting row even when its WHERE is false (PostgreSQL
  // docs, INSERT), so it is sent only when the read says it would write
  const [{ write }]: Array<{ write: boolean }> = await manager.query(REPOSITORY_NEEDS_WRITE_SQL, parameters);
  if (write) await manager.query(UPSERT_REPOSITORY_SQL, parameters);
}

/**
 * When the incoming observation (`EXCLUDED`) changes the stored repository row: the `WHERE` of
 * {@link UPSERT_REPOSITORY_SQL}, and of {@link REPOSITORY_NEEDS_WRITE_SQL}, where `excluded` is the
 * parameters as a row.
 */
const REPOSITORY_CHANGES_WHERE = `(${INCOMING_STATE_IS_CURRENT} AND (
       ($12 AND (repository.owner, repository.name, repository.full_name) IS DISTINCT FROM (EXCLUDED.owner, EXCLUDED.name, EXCLUDED.full_name))
    OR (EXCLUDED.default_branch IS NOT NULL AND repository.default_branch IS DISTINCT FROM EXCLUDED.default_branch)
    OR repository.is_fork IS DISTINCT FROM EXCLUDED.is_fork
    OR repository.is_archived IS DISTINCT FROM EXCLUDED.is_archived
    OR (EXCLUDED.stargazers_count IS NOT NULL AND repository.stargazers_count IS DISTINCT FROM EXCLUDED.stargazers_count)
    OR (EXCLUDED.forks_count IS NOT NULL AND repository.forks_count IS DISTINCT FROM EXCLUDED.forks_count)
    OR (EXCLUDED.topics IS NOT NULL AND repository.topics IS DISTINCT FROM EXCLUDED.topics)))
  OR (repository.created_at IS NULL AND EXCLUDED.created_at IS NOT NULL)
  OR EXCLUDED.pushed_at > repository.pushed_at OR (repository.pushed_at IS NULL AND EXCLUDED.pushed_at IS NOT NULL)
  OR ${OBSERVATION_INSTANT_ADVANCES}`;

/** Parameters `$1`…`$14` of {@link UPSERT_REPOSITORY_SQL} → whether it would write anything (`write`): no row yet, or a change. */
const REPOSITORY_NEEDS_WRITE_SQL = `SELECT NOT EXISTS (SELECT 1 FROM repository WHERE id = $1::bigint) OR EXISTS (
    SELECT 1 FROM repository,
      (VALUES ($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::boolean, $7::boolean, $8::integer, $9::integer,
               $10::timestamptz, $11::timestamptz, $13::text[], $14::timestamptz))
        AS excluded (id, owner, name, full_name, default_branch, is_fork, is_archived, stargazers_count, forks_count,
                     created_at, pushed_at, topics, state_observed_at)
    WHERE repository.id = excluded.id AND (${REPOSITORY_CHANGES_WHERE})) AS write`;

/** Inserts or refreshes repository `$1` (parameters as in {@link upsertRepository}). */
const UPSERT_REPOSITORY_SQL = `INSERT INTO repository (id, owner, name, full_name, default_branch, is_fork, is_archived, stargazers_count, forks_count, created_at, pushed_at, topics, state_observed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $14)
     ON CONFLICT (id) DO UPDATE SET
       ${setWhenCurrent('owner', 'CASE WHEN $12 THEN EXCLUDED.owner ELSE repository.owner END')},
       ${setWhenCurrent('name', 'CASE WHEN $12 THEN EXCLUDED.name ELSE repository.name END')},
       ${setWhenCurrent('full_name', 'CASE WHEN $12 THEN EXCLUDED.full_name ELSE repository.full_name END')},
       ${setWhenCurrent('default_branch', 'COALESCE(EXCLUDED.default_branch, repository.default_branch)')},
       ${setWhenCurrent('is_fork', 'EXCLUDED.is_fork')},
       ${setWhenCurrent('is_archived', 'EXCLUDED.is_archived')},
       ${setWhenCurrent('stargazers_count', 'COALESCE(EXCLUDED.stargazers_count, repository.stargazers_count)')},
       ${setWhenCurrent('forks_count', 'COALESCE(EXCLUDED.forks_count, repository.forks_count)')},
       ${setWhenCurrent('topics', 'COALESCE(EXCLUDED.topics, repository.topics)')},
       created_at = COALESCE(repository.created_at, EXCLUDED.created_at),
       pushed_at = GREATEST(repository.pushed_at, EXCLUDED.pushed_at),
       ${SET_STATE_OBSERVED_AT},
       updated_at = now()
     WHERE ${REPOSITORY_CHANGES_WHERE}`;

const accountId = (account: GithubActor | null) => (account && !isDeletedAccount(account) ? account.id : null);

/**
 * The account id in parameter `param` if that account is stored, else null (as the sync's writers
 * LEFT JOIN it): identity resolution stores no account of a member who asked for deletion, so an
 * issue or pull request such an account opened or merged is kept without its author or merger.
 */
const STORED_ACCOUNT = (param: string) => `(SELECT a.id FROM github_account a WHERE a.id = ${param}::bigint)`;

/**
 * Upserts by GitHub id; a delivery older than the stored row (by `updated_at`) changes nothing. An
 * author or merger whose account is not stored is left out ({@link STORED_ACCOUNT}).
 */
async function upsertPullRequest(manager: EntityManager, pr: PullRequestUpsert): Promise<void> {
  await manager.query(
    `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, merged, merged_at,
                               merged_by_account_id, head_sha, head_ref, base_ref, created_at, updated_at, closed_at, labels)
     VALUES ($1, $2, $3, $4, $5, ${STORED_ACCOUNT('$6')}, $7, $8, ${STORED_ACCOUNT('$9')}, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (id) DO UPDATE SET
       title = EXCLUDED.title,
       state = EXCLUDED.state,
       author_account_id = COALESCE(EXCLUDED.author_account_id, pull_request.author_account_id),
       merged = pull_request.merged OR EXCLUDED.merged,
       merged_at = COALESCE(EXCLUDED.merged_at, pull_request.merged_at),
       merged_by_account_id = COALESCE(EXCLUDED.merged_by_account_id, pull_request.merged_by_account_id),
       head_sha = COALESCE(EXCLUDED.head_sha, pull_request.head_sha),
       head_ref = COALESCE(EXCLUDED.head_ref, pull_request.head_ref),
       base_ref = COALESCE(EXCLUDED.base_ref, pull_request.base_ref),
       updated_at = EXCLUDED.updated_at,
       closed_at = EXCLUDED.closed_at,
       labels = COALESCE(EXCLUDED.labels, pull_request.labels)
     WHERE EXCLUDED.updated_at >= pull_request.updated_at`,
    [
      pr.id,
      pr.repositoryId,
      pr.number,
      pr.title,
      pr.state,
      accountId(pr.author),
      pr.merged,
      pr.mergedAt,
      accountId(pr.mergedBy),
      pr.headSha,
      pr.headRef,
      pr.baseRef,
      pr.createdAt,
      pr.updatedAt,
      pr.closedAt,
      pr.labels,
    ],
  );
}

/**
 * Upserts by GitHub id; a delivery older than the stored row (by `updated_at`) changes nothing. An
 * author whose account is not stored is left out ({@link STORED_ACCOUNT}).
 */
async function upsertIssue(manager: EntityManager, issue: IssueUpsert): Promise<void> {
  await manager.query(
    `INSERT INTO issue (id, repository_id, number, title, state, author_account_id, labels, created_at, updated_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, ${STORED_ACCOUNT('$6')}, $7, $8, $9, $10)
     ON CONFLICT (id) DO UPDATE SET
       title = EXCLUDED.title,
       state = EXCLUDED.state,
       author_account_id = COALESCE(EXCLUDED.author_account_id, issue.author_account_id),
       labels = EXCLUDED.labels,
       updated_at = EXCLUDED.updated_at,
       closed_at = EXCLUDED.closed_at
     WHERE EXCLUDED.updated_at >= issue.updated_at`,
    [
      issue.id,
      issue.repositoryId,
      issue.number,
      issue.title,
      issue.state,
      accountId(issue.author),
      issue.labels,
      issue.createdAt,
      issue.updatedAt,
      issue.closedAt,
    ],
  );
}

/**
 * Inserts commits seen in a push and links them to the repository. A commit already stored (by
 * the API sync, which knows more: committer date, parents) is kept as it is.
 */
async function upsertCommits(manager: EntityManager, commits: CommitUpsert[], authorIdentityIds: Array<string | null>): Promise<void> {
  if (commits.length === 0) return;
  await manager.query(
    `INSERT INTO git_commit (sha, repository_id, author_identity_id, author_name, authored_at, message_headline, co_authors)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[])
     ON CONFLICT (sha) DO NOTHING`,
    [
      commits.map((commit) => commit.sha),
      commits.map((commit) => commit.repositoryId),
      authorIdentityIds,
      commits.map((commit) => commit.author.name),
      commits.map((commit) => commit.authoredAt.toISOString()),
      commits.map((commit) => commit.messageHeadline),
      commits.map((commit) => JSON.stringify(commit.coAuthors)),
    ],
  );
  await manager.query(
    `INSERT INTO git_commit_repository (sha, repository_id)
     SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`,
    [commits.map((commit) => commit.sha), commits.map((commit) => commit.repositoryId)],
  );
}

