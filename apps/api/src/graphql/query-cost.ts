import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { findPageSizeViolation, MAX_PAGE_SIZE, pageSizeError } from './page-size.js';

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
 * earlier, by document-limits.ts.)
 */
export function queryCostPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
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
