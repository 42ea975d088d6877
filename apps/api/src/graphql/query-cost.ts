import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { findPageSizeViolation, MAX_PAGE_SIZE, pageSizeError } from './page-size.js';

/** Operations (text, name and variables) remembered as within the limits by {@link queryCostPlugin}. */
const ACCEPTED_OPERATIONS_CACHED = 1000;
/** Most characters of remembered operations, in total. */
const ACCEPTED_OPERATIONS_CHARACTERS = 4_000_000;

/** Largest cost an operation may have (see {@link connectionEstimator}). */
export const MAX_QUERY_COST = 5000;

/**
 * Cost of a field that takes `first`: the field itself plus its selection for each item it
 * can return (`first × children`), so `activities(first: 100) { member { recentActivities(first: 100) } }`
 * costs about 10,000 — the rows it could make the server load — not 3.
 */
export const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  // above the page cap the argument is refused (BAD_USER_INPUT): cost it at the cap
  const first = typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, MAX_PAGE_SIZE) : undefined;
  return first === undefined ? undefined : 1 + first * Math.max(childComplexity, 1);
};

/**
 * Refuses, before anything runs, operations with a page size outside 1–{@link MAX_PAGE_SIZE}
 * (BAD_USER_INPUT naming the field; see page-size.ts) or costlier than {@link MAX_QUERY_COST}
 * (estimated by graphql-query-complexity with {@link connectionEstimator}; QUERY_TOO_COMPLEX),
 * both with HTTP 400. One anonymous query must not be able to exhaust the api's memory or stall
 * the webhook endpoint it shares a process with. (Depth, alias and field counts are checked
 * earlier, by document-limits.ts.) Operations found within the limits are remembered by text, name
 * and variables (the estimate depends on nothing else), so a repeated one is not estimated again.
 */
export function queryCostPlugin(): ApolloServerPlugin {
  // the cost of an operation depends only on the schema, its text, its name and its variables:
  // operations repeated by a client (dashboards, the same leaderboard) are estimated once
  const accepted = new LRUCache<string, true>({ max: ACCEPTED_OPERATIONS_CACHED, maxSize: ACCEPTED_OPERATIONS_CHARACTERS, sizeCalculation: (_value, key) => Math.max(1, key.length) });
  let acceptedFor: GraphQLSchema | undefined;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          if (schema !== acceptedFor) {
            accepted.clear();
            acceptedFor = schema;
          }
          const key = typeof request.query === 'string' ? JSON.stringify([request.query, request.operationName ?? null, request.variables ?? {}]) : null;
          if (key !== null && accepted.has(key)) return;
          const violation = findPageSizeViolation(schema, document, request.variables ?? {}, request.operationName);
          if (violation) throw pageSizeError(violation);
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: request.operationName ?? undefined,
              estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            return; // invalid variables: execution reports them with BAD_USER_INPUT
          }
          if (cost <= MAX_QUERY_COST && key !== null && key.length <= ACCEPTED_OPERATIONS_CHARACTERS / 100) accepted.set(key, true);
          if (cost > MAX_QUERY_COST) {
            throw new GraphQLError(
              `Query cost ${cost} exceeds ${MAX_QUERY_COST}: ask for fewer items (first) or fewer nested lists`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: MAX_QUERY_COST, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
