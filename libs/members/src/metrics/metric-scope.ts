import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { PERIOD_PRESETS, resolvePeriod, type PeriodInput, type ResolvedPeriod } from '../queries/leaderboard-period.js';
import { parseQueryInput } from '../queries/parse-query-input.js';
import { QueryException, QueryExceptionCode } from '../queries/query.exception.js';
import { RepositoryQueryService } from '../queries/repository-query.service.js';

/** Where and when a metric is computed, as asked. */
export interface MetricScopeInput {
  /** GitHub's numeric repository id or `owner/name`. */
  repository?: string | null;
  /** Ecosystem slug: every repository its tracked sources discovered. */
  ecosystem?: string | null;
  /** The window; nothing given means the last 30 days (as the leaderboard). */
  period?: PeriodInput | null;
}

/** A resolved scope: the repositories (null = every repository) and the window `[since, until)`. */
export interface MetricScope extends ResolvedPeriod {
  repositoryIds: number[] | null;
}

const scopeSchema = z.object({
  repository: z.string().trim().min(1, 'must not be empty').nullish(),
  ecosystem: z.string().trim().min(1, 'must not be empty').nullish(),
  period: z
    .object({ preset: z.enum(PERIOD_PRESETS).nullish(), since: z.date().nullish(), until: z.date().nullish() })
    .nullish(),
});

/** Resolves {@link MetricScopeInput}s for the community metrics and the issue / pull request flow. */
@Injectable()
export class MetricScopeResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repositories: RepositoryQueryService,
  ) {}

  /**
   * @param now the instant presets count back from.
   * @throws QueryException BAD_USER_INPUT when both a repository and an ecosystem are given, or
   *   for a bad period or repository reference; NOT_FOUND for an unknown repository or ecosystem.
   */
  async resolve(input: MetricScopeInput, now: Date = new Date()): Promise<MetricScope> {
    const parsed = parseQueryInput(scopeSchema, input);
    if (parsed.repository != null && parsed.ecosystem != null) {
      throw new QueryException(
        'Invalid arguments: give either repository or ecosystem, not both',
        QueryExceptionCode.BAD_USER_INPUT,
      );
    }
    const period = resolvePeriod(parsed.period, now);
    if (parsed.repository != null) return { ...period, repositoryIds: [await this.repositories.resolveRef(parsed.repository)] };
    if (parsed.ecosystem != null) return { ...period, repositoryIds: await this.ecosystemRepositoryIds(parsed.ecosystem) };
    return { ...period, repositoryIds: null };
  }

  private async ecosystemRepositoryIds(slug: string): Promise<number[]> {
    const rows: Array<{ id: number; repository_id: string | null }> = await this.dataSource.query(
      `SELECT e.id, l.repository_id::text AS repository_id
         FROM ecosystem e
         LEFT JOIN tracked_source s ON s.ecosystem_id = e.id
         LEFT JOIN tracked_source_repository l ON l.tracked_source_id = s.id
        WHERE e.slug = lower($1)`,
      [slug],
    );
    if (!rows.length) throw new QueryException(`No ecosystem with slug "${slug}"`, QueryExceptionCode.NOT_FOUND);
    return [...new Set(rows.flatMap((row) => (row.repository_id === null ? [] : [Number(row.repository_id)])))];
  }
}

/** `AND <column> = ANY($n)` for a scope's repositories, or nothing for every repository. */
export function repositoryCondition(column: string, scope: Pick<MetricScope, 'repositoryIds'>, param: (value: unknown) => string): string {
  return scope.repositoryIds === null ? '' : `AND ${column} = ANY(${param(scope.repositoryIds)}::bigint[])`;
}
