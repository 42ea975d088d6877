import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ACTIVITY_TYPES, type ActivityType } from '../activity.entity.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { MemberQueryService } from './member-query.service.js';
import { lazyCount, pageSizeSchema, toPage, type LazyCountPage } from './page.types.js';
import { parseQueryInput } from './parse-query-input.js';
import type { ActivityView } from './read-model.types.js';
import { RepositoryQueryService } from './repository-query.service.js';
import { ACTIVITY_COLUMNS, toActivityView, type ActivityRow } from './rows.js';
import { SqlConditions } from './sql-conditions.js';

/** Which activities to list. */
export interface ActivityListFilter {
  /** Member id or GitHub login (case-insensitive). */
  member?: string | null;
  /** GitHub's numeric repository id or `owner/name`. */
  repository?: string | null;
  type?: ActivityType | null;
  /** At or after this UTC instant. */
  since?: Date | null;
  /** Before this UTC instant. */
  until?: Date | null;
}

/** Arguments of {@link ActivityQueryService.list}. */
export interface ActivityListArgs {
  first?: number | null;
  after?: string | null;
  filter?: ActivityListFilter | null;
}

const listSchema = z
  .object({
    first: pageSizeSchema,
    after: z.string().nullish(),
    filter: z
      .object({
        member: z.string().nullish(),
        repository: z.string().nullish(),
        type: z.enum(ACTIVITY_TYPES).nullish(),
        since: z.date().nullish(),
        until: z.date().nullish(),
      })
      .nullish()
      .transform((filter) => filter ?? {}),
  })
  .refine((args) => !args.filter.since || !args.filter.until || args.filter.since < args.filter.until, {
    message: 'since must be before until',
    path: ['filter', 'since'],
  });

/** `[occurred_at as Postgres text (microseconds), activity id]`. */
const activityCursorValues = z.tuple([z.iso.datetime({ offset: true }), z.string().regex(/^[0-9]{1,19}$/)]);

/** The activity read model: a newest-first cursor listing over the activity indexes. */
@Injectable()
export class ActivityQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly members: MemberQueryService,
    private readonly repositories: RepositoryQueryService,
  ) {}

  /**
   * Activities (not marked removed) matching the filter, newest first (ties by id), as a
   * cursor page; `totalCount()` counts the filter's matches when called (once). A member filter reads `(member_id, occurred_at)`, a repository filter
   * `(repository_id, occurred_at)`, otherwise `(occurred_at)`.
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–100, a foreign cursor,
   *   `since` not before `until`, a malformed member or repository; NOT_FOUND for an unknown one.
   */
  async list(args: ActivityListArgs): Promise<LazyCountPage<ActivityView>> {
    const { first, after, filter } = parseQueryInput(listSchema, args);
    const where = new SqlConditions().add('a.removed_at IS NULL');
    if (filter.member != null) where.add(`a.member_id = ${where.param(await this.members.resolveRef(filter.member))}`);
    if (filter.repository != null) {
      where.add(`a.repository_id = ${where.param(await this.repositories.resolveRef(filter.repository))}`);
    }
    if (filter.type) where.add(`a.type = ${where.param(filter.type)}`);
    if (filter.since) where.add(`a.occurred_at >= ${where.param(filter.since.toISOString())}`);
    if (filter.until) where.add(`a.occurred_at < ${where.param(filter.until.toISOString())}`);
    const countParams = [...where.params];
    const countSql = `SELECT count(*)::int AS count FROM activity a ${where.where()}`;
    if (after) {
      const [at, id] = decodeCursor('activities', after, activityCursorValues);
      where.add(`(a.occurred_at, a.id) < (${where.param(at)}::timestamptz, ${where.param(id)}::bigint)`);
    }
    const limit = where.param(first + 1);
    const rows: ActivityRow[] = await this.dataSource.query(
      `SELECT ${ACTIVITY_COLUMNS} FROM activity a ${where.where()} ORDER BY a.occurred_at DESC, a.id DESC LIMIT ${limit}`,
      where.params,
    );
    const totalCount = lazyCount(async () => {
      const [counted]: Array<{ count: number }> = await this.dataSource.query(countSql, countParams);
      return counted.count;
    });
    return toPage(rows, first, after, totalCount, (row) => ({
      cursor: encodeCursor('activities', [row.occurred_at_text, row.id]),
      node: toActivityView(row),
    }));
  }
}
