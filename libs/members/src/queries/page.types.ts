import { z } from 'zod';

/** Largest page any list query serves; larger `first` values are refused, not clamped. */
export const MAX_PAGE_SIZE = 100;

/** Page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;

/** `first`: 1–{@link MAX_PAGE_SIZE}, default {@link DEFAULT_PAGE_SIZE}. */
export const pageSizeSchema = z
  .number()
  .int('must be an integer')
  .min(1, 'must be at least 1')
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
  .nullish()
  .transform((value) => value ?? DEFAULT_PAGE_SIZE);

/**
 * One item of a page with the opaque cursor that points just after it, plus edge-specific
 * values (`Extra`, e.g. a member's activity count within the filter).
 */
export type Edge<Node, Extra = object> = { cursor: string; node: Node } & Extra;

/** Relay's PageInfo (https://relay.dev/graphql/connections.htm), forward paging only. */
export interface PageInfo {
  hasNextPage: boolean;
  /** True when the page was asked for `after` a cursor. */
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A page of a cursor connection. */
export interface Page<Node, Extra = object> {
  edges: Array<Edge<Node, Extra>>;
  pageInfo: PageInfo;
  /** How many items match the filter across all pages. */
  totalCount: number;
}

/**
 * A page whose `totalCount` is counted only when asked for (a count over a large filter
 * costs a scan that most pages do not need). The count is memoised.
 */
export interface LazyCountPage<Node, Extra = object> extends Omit<Page<Node, Extra>, 'totalCount'> {
  totalCount: () => Promise<number>;
}

/** Memoises an async count. */
export function lazyCount(count: () => Promise<number>): () => Promise<number> {
  let pending: Promise<number> | undefined;
  return () => (pending ??= count());
}

/**
 * Builds a page from `first + 1` fetched rows: the extra row only tells that a next page exists.
 */
export function toPage<Row, Node, Extra, Count extends number | (() => Promise<number>)>(
  rows: Row[],
  first: number,
  after: string | null | undefined,
  totalCount: Count,
  toEdge: (row: Row) => Edge<Node, Extra>,
): Omit<Page<Node, Extra>, 'totalCount'> & { totalCount: Count } {
  const edges = rows.slice(0, first).map(toEdge);
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
