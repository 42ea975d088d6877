import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ACTIVITY_TYPES, type ActivityType } from '../activity.entity.js';
import { activityOrganizationSql, nonPayingMemberSql } from '../affiliations/affiliation-sql.js';
import { LOGIN_HOLDER_ORDER } from '../identity.service.js';
import type { MemberKind } from '../member.entity.js';
import type { Stage } from '../stages/stage.types.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { pageSizeSchema, toPage, type Page } from './page.types.js';
import { parseQueryInput } from './parse-query-input.js';
import { QueryException, QueryExceptionCode } from './query.exception.js';
import type { ActivityView, IdentityView, MemberView } from './read-model.types.js';
import { parseMemberRef } from './refs.js';
import { EcosystemQueryService } from './ecosystem-query.service.js';
import { RepositoryQueryService } from './repository-query.service.js';
import {
  ACTIVITY_COLUMNS,
  MEMBER_ACCOUNT_JOIN,
  MEMBER_COLUMNS,
  toActivityView,
  toMemberView,
  type ActivityRow,
  type MemberRow,
} from './rows.js';
import { SqlConditions } from './sql-conditions.js';

/** Which activities count in a member listing. */
export interface MemberListFilter {
  /** GitHub's numeric repository id or `owner/name`. */
  repository?: string | null;
  /** Count activities at or after this UTC instant. */
  since?: Date | null;
  /** Count activities before this UTC instant. */
  until?: Date | null;
  type?: ActivityType | null;
  /** Member kinds to list; default persons only (bots and the deleted-user sentinel never rank). */
  kinds?: MemberKind[] | null;
  /** Only members at this stage now in {@link ecosystem} (which it requires). */
  stage?: Stage | null;
  /** Only members of this ecosystem (a stage there), by slug (case-insensitive); `stage` is read in it. */
  ecosystem?: string | null;
  /** Only activities credited to this organisation (its id): the member's affiliation on the activity's date. */
  organization?: string | null;
  /** Only members not credited to a customer (paying) organisation today. */
  nonPayingOnly?: boolean | null;
}

/** Arguments of {@link MemberQueryService.list}. */
export interface MemberListArgs {
  /** Page size, 1–100 (default 20). */
  first?: number | null;
  /** Cursor of the last edge of the previous page. */
  after?: string | null;
  filter?: MemberListFilter | null;
}

/** Edge values of a member listing: the member's activities matching the filter. */
export interface MemberEdgeExtra {
  activityCount: number;
}

/** Largest `first` of a member's recent activities. */
export const MAX_RECENT_ACTIVITIES = 100;

const MEMBER_KINDS = ['person', 'bot', 'deleted'] as const;

const listSchema = z
  .object({
    first: pageSizeSchema,
    after: z.string().nullish(),
    filter: z
      .object({
        repository: z.string().nullish(),
        since: z.date().nullish(),
        until: z.date().nullish(),
        type: z.enum(ACTIVITY_TYPES).nullish(),
        kinds: z.array(z.enum(MEMBER_KINDS)).min(1, 'must name at least one kind').nullish(),
        stage: z.enum(['OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED']).nullish(),
        ecosystem: z.string().trim().min(1).max(63).nullish(),
        organization: z.uuid('must be an organisation id').nullish(),
        nonPayingOnly: z.boolean().nullish(),
      })
      .nullish()
      .transform((filter) => filter ?? {}),
  })
  .refine((args) => !args.filter.since || !args.filter.until || args.filter.since < args.filter.until, {
    message: 'since must be before until',
    path: ['filter', 'since'],
  })
  .refine((args) => !args.filter.stage || args.filter.ecosystem, {
    message: 'a stage filter needs the ecosystem its stages are read in',
    path: ['filter', 'ecosystem'],
  });

const memberCursorValues = z.tuple([z.number().int().min(0), z.uuid()]);

/**
 * The member read model: listings ranked by activity, lookups, identities and recent
 * activities (batched for DataLoaders). Counts are aggregated in SQL; listings only count
 * activities not marked removed (an undone star is not activity).
 */
@Injectable()
export class MemberQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repositories: RepositoryQueryService,
    private readonly ecosystems: EcosystemQueryService,
  ) {}

  /**
   * Members with at least one activity matching the filter, most active first (ties by
   * member id), as a cursor page; `totalCount` is the number of such members.
   * Filters: `ecosystem` (members with a stage there), `stage` (now, in `ecosystem`), `organization` (activities credited to it on their
   * date), `nonPayingOnly` (members credited to no customer today) narrow the members; the rest
   * narrow the activities counted.
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–100, a foreign cursor,
   *   `since` not before `until`, a malformed repository or organisation id, or a stage without an
   *   ecosystem; NOT_FOUND for an unknown repository, ecosystem or organisation.
   */
  async list(args: MemberListArgs): Promise<Page<MemberView, MemberEdgeExtra>> {
    const { first, after, filter } = parseQueryInput(listSchema, args);
    const activity = new SqlConditions().add('a.removed_at IS NULL');
    if (filter.repository != null) {
      activity.add(`a.repository_id = ${activity.param(await this.repositories.resolveRef(filter.repository))}`);
    }
    if (filter.since) activity.add(`a.occurred_at >= ${activity.param(filter.since.toISOString())}`);
    if (filter.until) activity.add(`a.occurred_at < ${activity.param(filter.until.toISOString())}`);
    if (filter.type) activity.add(`a.type = ${activity.param(filter.type)}`);
    if (filter.organization) {
      const known: unknown[] = await this.dataSource.query(`SELECT 1 FROM organization WHERE id = $1`, [filter.organization]);
      if (known.length === 0) throw new QueryException(`No organisation "${filter.organization}"`, QueryExceptionCode.NOT_FOUND);
      const organization = activity.param(filter.organization);
      // the organisation's members first (affiliation index), then the credit of each of their activities
      activity.add(`a.member_id IN (SELECT af.member_id FROM affiliation af WHERE af.organization_id = ${organization}::uuid)`);
      activity.add(`${activityOrganizationSql('a')} = ${organization}::uuid`);
    }
    const kinds = activity.param(filter.kinds ?? ['person']);
    const members = [`mk.kind = ANY(${kinds}::text[])`];
    if (filter.ecosystem) {
      const ecosystem = await this.ecosystems.bySlug(filter.ecosystem);
      if (!ecosystem) throw new QueryException(`No ecosystem "${filter.ecosystem}"`, QueryExceptionCode.NOT_FOUND);
      // members of the ecosystem (a stage there), at `stage` when given
      const stage = filter.stage ? ` AND st.stage = ${activity.param(filter.stage)}` : '';
      members.push(`EXISTS (SELECT 1 FROM member_stage st WHERE st.member_id = mk.id AND st.ecosystem_id = ${activity.param(ecosystem.id)}${stage})`);
    }
    if (filter.nonPayingOnly) members.push(nonPayingMemberSql('mk', 'now()'));
    let keyset = 'TRUE';
    if (after) {
      const [count, id] = decodeCursor('members', after, memberCursorValues);
      const c = activity.param(count);
      keyset = `(r.activity_count < ${c} OR (r.activity_count = ${c} AND r.member_id > ${activity.param(id)}::uuid))`;
    }
    const limit = activity.param(first + 1);
    const rows: Array<MemberRow & { total_count: number; activity_count: number | null }> = await this.dataSource.query(
      `WITH ranked AS (
         SELECT c.member_id, c.activity_count
           FROM (SELECT a.member_id, count(*)::int AS activity_count
                   FROM activity a ${activity.where()}
                  GROUP BY a.member_id) c
           JOIN member mk ON mk.id = c.member_id AND ${members.join(' AND ')}
       )
       SELECT t.total_count, p.*
         FROM (SELECT count(*)::int AS total_count FROM ranked) t
         LEFT JOIN LATERAL (
           -- the page first, then its members' details (one account lookup per row shown)
           SELECT r.activity_count, ${MEMBER_COLUMNS}
             FROM (SELECT * FROM ranked r WHERE ${keyset} ORDER BY r.activity_count DESC, r.member_id LIMIT ${limit}) r
             JOIN member m ON m.id = r.member_id ${MEMBER_ACCOUNT_JOIN}
            ORDER BY r.activity_count DESC, r.member_id
         ) p ON TRUE`,
      activity.params,
    );
    const present = rows.filter((row) => row.member_id !== null);
    return toPage(present, first, after, rows[0]?.total_count ?? 0, (row) => ({
      cursor: encodeCursor('members', [row.activity_count!, row.member_id]),
      node: toMemberView(row),
      activityCount: row.activity_count!,
    }));
  }

  /**
   * The member with this id, or the member of the GitHub account that currently holds the login,
   * compared case-insensitively (the account whose login was seen first-hand last; case I2).
   * @returns null when there is no such member.
   * @throws QueryException BAD_USER_INPUT unless exactly one of id and login is given, or for a malformed id.
   */
  async find(by: { id?: string | null; login?: string | null }): Promise<MemberView | null> {
    if ((by.id == null) === (by.login == null)) {
      throw new QueryException('Give exactly one of id and login', QueryExceptionCode.BAD_USER_INPUT);
    }
    if (by.id != null) {
      const ref = parseMemberRef(by.id);
      if (ref?.kind !== 'id') throw new QueryException(`Invalid member id "${by.id}"`, QueryExceptionCode.BAD_USER_INPUT);
      return (await this.byIds([ref.id]))[0];
    }
    // the member of the account that currently holds the login (IdentityService.resolveLogin's
    // rule: renames and reused logins, case I2); accounts move with merges, so a merged-away
    // member's login names the survivor
    const holders: Array<{ member_id: string | null }> = await this.dataSource.query(
      `SELECT member_id FROM github_account WHERE lower(login) = lower($1) ORDER BY ${LOGIN_HOLDER_ORDER} LIMIT 1`,
      [by.login!.trim().replace(/^@/, '')],
    );
    const memberId = holders[0]?.member_id;
    return memberId ? (await this.byIds([memberId]))[0] : null;
  }

  /**
   * The member id a reference names (a UUID or a GitHub login, case-insensitive).
   * @throws QueryException BAD_USER_INPUT for a malformed reference; NOT_FOUND for an unknown member.
   */
  async resolveRef(value: string): Promise<string> {
    const ref = parseMemberRef(value);
    if (!ref) throw new QueryException(`Invalid member "${value}": give a member id or a GitHub login`, QueryExceptionCode.BAD_USER_INPUT);
    const member = await this.find(ref.kind === 'id' ? { id: ref.id } : { login: ref.login });
    if (!member) throw new QueryException(`No member "${value}"`, QueryExceptionCode.NOT_FOUND);
    return member.id;
  }

  /** Members by id, for DataLoaders: one entry per id, in order (null when unknown). */
  async byIds(ids: readonly string[]): Promise<Array<MemberView | null>> {
    const rows: MemberRow[] = await this.dataSource.query(
      `SELECT ${MEMBER_COLUMNS} FROM member m ${MEMBER_ACCOUNT_JOIN} WHERE m.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.member_id, toMemberView(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Identities per member id (GitHub accounts first, then e-mail addresses), for DataLoaders.
   * E-mail addresses are personal data: unless `includeEmails` (an admin caller), e-mail
   * identities are left out entirely, so no address and no hint of one is returned. The `erased`
   * identity of a member whose personal data was deleted is internal (it holds their activities) and never listed.
   */
  async identitiesByMemberIds(ids: readonly string[], options: { includeEmails: boolean }): Promise<IdentityView[][]> {
    const rows: Array<{
      id: string;
      member_id: string;
      platform: IdentityView['platform'];
      key: string;
      github_account_id: string | null;
      github_login: string | null;
      display_name: string | null;
      evidence: IdentityView['evidence'];
      created_at: Date;
    }> = await this.dataSource.query(
      `SELECT i.id, i.member_id, i.platform, i.key, i.github_account_id::text AS github_account_id,
              g.login AS github_login, i.display_name, i.evidence, i.created_at
         FROM identity i LEFT JOIN github_account g ON g.id = i.github_account_id
        WHERE i.member_id = ANY($1::uuid[]) AND i.platform <> 'erased' ${options.includeEmails ? '' : `AND i.platform <> 'email'`}
        ORDER BY CASE i.platform WHEN 'github' THEN 0 WHEN 'email' THEN 1 ELSE 2 END, i.created_at, i.id`,
      [ids],
    );
    const grouped = new Map<string, IdentityView[]>(ids.map((id) => [id, []]));
    for (const row of rows) {
      grouped.get(row.member_id)?.push({
        id: row.id,
        memberId: row.member_id,
        platform: row.platform,
        githubAccountId: row.github_account_id === null ? null : Number(row.github_account_id),
        githubLogin: row.github_login,
        email: row.platform === 'email' && options.includeEmails ? row.key : null,
        displayName: row.display_name,
        evidence: row.evidence,
        createdAt: row.created_at,
      });
    }
    return ids.map((id) => grouped.get(id) ?? []);
  }

  /**
   * The `first` newest activities (not marked removed) of each member, for DataLoaders: one
   * query for the whole batch, each member's slice read from the `(member_id, occurred_at)` index.
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–{@link MAX_RECENT_ACTIVITIES}.
   */
  async recentActivitiesByMemberIds(ids: readonly string[], first: number): Promise<ActivityView[][]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_RECENT_ACTIVITIES) {
      throw new QueryException(
        `Invalid arguments: first: must be between 1 and ${MAX_RECENT_ACTIVITIES}`,
        QueryExceptionCode.BAD_USER_INPUT,
      );
    }
    const rows: ActivityRow[] = await this.dataSource.query(
      `SELECT ${ACTIVITY_COLUMNS}
         FROM unnest($1::uuid[]) AS wanted(member_id)
         CROSS JOIN LATERAL (
           SELECT * FROM activity x
            WHERE x.member_id = wanted.member_id AND x.removed_at IS NULL
            ORDER BY x.occurred_at DESC, x.id DESC
            LIMIT $2
         ) a
        ORDER BY a.member_id, a.occurred_at DESC, a.id DESC`,
      [ids, first],
    );
    const grouped = new Map<string, ActivityView[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row.member_id)?.push(toActivityView(row));
    return ids.map((id) => grouped.get(id) ?? []);
  }
}
