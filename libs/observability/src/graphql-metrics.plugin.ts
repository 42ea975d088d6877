import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlOperationDuration } from './metrics.js';

/** Operation names become label values: only GraphQL names of at most 64 characters; others are `other`. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Most distinct operation names labelled per process. Clients choose operation names, and each
 * new label value is a new series held in memory for the life of the process (and in
 * Prometheus): past this many, further new names are counted as `other`. Cambrian's own clients
 * use a few dozen.
 */
export const MAX_OPERATION_LABELS = 200;

const labelled = new Set<string>();

/**
 * The label value of an operation name: the name itself when it is a GraphQL name of at most 64
 * characters and one of the first {@link MAX_OPERATION_LABELS} names seen, `anonymous` when the
 * document names none, else `other`.
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!OPERATION_NAME.test(name)) return 'other';
  if (labelled.has(name)) return name;
  if (labelled.size >= MAX_OPERATION_LABELS) return 'other';
  labelled.add(name);
  return name;
}

/**
 * Apollo Server plugin observing each operation in `cambrian_graphql_operation_duration_seconds`
 * (from the request's arrival at Apollo to the response being sent), labelled with the operation
 * name and `error` when the response carries any GraphQL error (parse, validation, execution),
 * else `success`.
 */
export function graphqlMetricsPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const body = requestContext.response.body;
          const resultErrors = body.kind === 'single' ? body.singleResult.errors?.length ?? 0 : 0;
          const failed = (requestContext.errors?.length ?? 0) > 0 || resultErrors > 0;
          const operation = operationLabel(requestContext.operationName ?? requestContext.request.operationName);
          graphqlOperationDuration.observe({ operation, outcome: failed ? 'error' : 'success' }, Number(process.hrtime.bigint() - start) / 1e9);
        },
      };
    },
  };
}
