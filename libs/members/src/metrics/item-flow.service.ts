import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../queries/cursor.js';
import { pageSizeSchema, type PageInfo } from '../queries/page.types.js';
import { parseQueryInput } from '../queries/parse-query-input.js';
import { SqlConditions } from '../queries/sql-conditions.js';
import { decisiveReviewsSql, firstResponseAtSql } from './item-responses.sql.js';
import { FLOW_STEPS, flowPosition, type FlowItemKind, type FlowStep } from './item-flow.js';
import { repositoryCondition, type MetricScope } from './metric-scope.js';

/** One open issue or pull request and where it waits. Instants are UTC; durations seconds. */
export interface FlowItem {
  kind: FlowItemKind;
  /** GitHub's id of the issue or pull request. */
  id: number;
  repositoryId: number;
  number: number;
  title: string;
  /** The author's member id, null when the author is unknown. */
  authorMemberId: string | null;
  createdAt: Date;
  firstResponseAt: Date | null;
  step: FlowStep;
  /** When the item entered its step (see `flowPosition`). */
  waitingSince: Date;
  /** `asOf − waitingSince`. */
  waitedSeconds: number;
  /** `asOf − createdAt`. */
  ageSeconds: number;
}

/** How many open items wait at one step, and how long. */
export interface FlowStepCount {
  kind: FlowItemKind;
  step: FlowStep;
  count: number;
  medianWaitSeconds: number;
  maxWaitSeconds: number;
}

/** The flow of a scope's open items at `asOf`. */
export interface ItemFlow {
  asOf: Date;
  /** Every (kind, step) with at least one item, issues first, in step order. */
  steps: FlowStepCount[];
  items: { totalCount: number; edges: Array<{ cursor: string; node: FlowItem }>; pageInfo: PageInfo };
}

/** Filters and page of {@link ItemFlowService.flow}. */
export interface FlowArgs {
  kind?: FlowItemKind | null;
  step?: FlowStep | null;
  first?: number | null;
  after?: string | null;
}

const argsSchema = z.object({
  kind: z.enum(['ISSUE', 'PULL_REQUEST']).nullish(),
  step: z.enum(FLOW_STEPS).nullish(),
  first: pageSizeSchema,
  after: z.string().nullish(),
});

const CURSOR_KIND = 'flow';
const cursorValues = z.tuple([z.number().int(), z.enum(['ISSUE', 'PULL_REQUEST']), z.number().int()]);

interface FlowRow {
  kind: FlowItemKind;
  id: string;
  repository_id: string;
  number: number;
  title: string;
  author_id: string | null;
  created_at: Date;
  first_response_at: Date | null;
  reviews: Array<{ reviewer: string; state: string; at: string }> | null;
}

const median = (sorted: number[]) => {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
};

/**
 * Issue and pull request flow: for each open item of a scope, the step it waits at (no
 * response, responded / waiting for review, changes requested, approved but not merged) and for
 * how long, so that a maintainer sees where work gets stuck. Counts per step, and the items
 * longest-waiting first as a cursor connection.
 */
@Injectable()
export class ItemFlowService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * @param scope only its repositories are used (the flow is a picture at `asOf`, not a window).
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–100, an unknown kind or step,
   *   or a cursor of another connection.
   */
  async flow(scope: Pick<MetricScope, 'repositoryIds'>, args: FlowArgs = {}, asOf: Date = new Date()): Promise<ItemFlow> {
    const parsed = parseQueryInput(argsSchema, args);
    const after = parsed.after ? decodeCursor(CURSOR_KIND, parsed.after, cursorValues) : null;
    const params = new SqlConditions();
    const rows: FlowRow[] = await this.dataSource.query(
      `WITH items AS (
         SELECT 'PULL_REQUEST' AS kind, p.id, p.repository_id, p.number, p.title, p.created_at, ga.member_id AS author_id
           FROM pull_request p LEFT JOIN github_account ga ON ga.id = p.author_account_id
          WHERE p.state = 'open' ${repositoryCondition('p.repository_id', scope, (v) => params.param(v))}
         UNION ALL
         SELECT 'ISSUE', i.id, i.repository_id, i.number, i.title, i.created_at, ga.member_id
           FROM issue i LEFT JOIN github_account ga ON ga.id = i.author_account_id
          WHERE i.state = 'open' ${repositoryCondition('i.repository_id', scope, (v) => params.param(v))}
       )
       SELECT it.kind, it.id::text AS id, it.repository_id::text AS repository_id, it.number, it.title, it.author_id,
              it.created_at, ${firstResponseAtSql('it')} AS first_response_at,
              CASE WHEN it.kind = 'PULL_REQUEST' THEN ${decisiveReviewsSql('it')} END AS reviews
         FROM items it`,
      params.params,
    );
    const items = rows
      .map((row) => this.toItem(row, asOf))
      .sort((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime() || a.kind.localeCompare(b.kind) || a.id - b.id);
    const steps: FlowStepCount[] = [];
    for (const kind of ['ISSUE', 'PULL_REQUEST'] as const) {
      for (const step of FLOW_STEPS) {
        const waits = items.filter((item) => item.kind === kind && item.step === step).map((item) => item.waitedSeconds);
        if (!waits.length) continue;
        waits.sort((a, b) => a - b);
        steps.push({ kind, step, count: waits.length, medianWaitSeconds: median(waits), maxWaitSeconds: waits[waits.length - 1] });
      }
    }
    const matching = items.filter((item) => (!parsed.kind || item.kind === parsed.kind) && (!parsed.step || item.step === parsed.step));
    const cursorOf = (item: FlowItem) => encodeCursor(CURSOR_KIND, [item.waitingSince.getTime(), item.kind, item.id]);
    let start = 0;
    if (after) {
      const [since, kind, id] = after;
      start = matching.findIndex(
        (item) =>
          item.waitingSince.getTime() > since ||
          (item.waitingSince.getTime() === since && (item.kind > kind || (item.kind === kind && item.id > id))),
      );
      if (start < 0) start = matching.length;
    }
    const page = matching.slice(start, start + parsed.first);
    const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
    return {
      asOf,
      steps,
      items: {
        totalCount: matching.length,
        edges,
        pageInfo: {
          hasNextPage: start + page.length < matching.length,
          hasPreviousPage: after !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
      },
    };
  }

  private toItem(row: FlowRow, asOf: Date): FlowItem {
    const createdAt = new Date(row.created_at);
    const firstResponseAt = row.first_response_at ? new Date(row.first_response_at) : null;
    const position = flowPosition({
      kind: row.kind,
      createdAt,
      firstResponseAt,
      reviews: (row.reviews ?? []).map((review) => ({ reviewer: review.reviewer, state: review.state, at: new Date(review.at) })),
    });
    const seconds = (from: Date) => Math.max(0, Math.round((asOf.getTime() - from.getTime()) / 1000));
    return {
      kind: row.kind,
      id: Number(row.id),
      repositoryId: Number(row.repository_id),
      number: row.number,
      title: row.title,
      authorMemberId: row.author_id,
      createdAt,
      firstResponseAt,
      step: position.step,
      waitingSince: position.since,
      waitedSeconds: seconds(position.since),
      ageSeconds: seconds(createdAt),
    };
  }
}
