import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type SelectionSetNode, type FragmentDefinitionNode } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

/** Largest cost an operation may have (see {@link connectionEstimator}). */
export const MAX_QUERY_COST = 5000;
/** Largest `first` any list field accepts. */
const MAX_PAGE_SIZE = 100;
/** Deepest selection nesting an operation may have (fields inside fields, fragments expanded). */
export const MAX_QUERY_DEPTH = 12;

/**
 * Cost of a field that takes `first`: the field itself plus its selection for each item it
 * can return (`first × children`), so `activities(first: 100) { member { recentActivities(first: 100) } }`
 * costs about 10,000 — the rows it could make the server load — not 3.
 */
export const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  // above the page cap the resolver refuses the argument itself (BAD_USER_INPUT): cost it at the cap
  const first = typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, MAX_PAGE_SIZE) : undefined;
  return first === undefined ? undefined : 1 + first * Math.max(childComplexity, 1);
};

/** Depth of the deepest field in a selection set, expanding fragments (cycles are refused by validation). */
export function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string> = new Set(),
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, 1 + selectionDepth(selection.selectionSet, fragments, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet, fragments, seen));
    } else if (!seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      deepest = Math.max(deepest, selectionDepth(fragment?.selectionSet, fragments, new Set([...seen, selection.name.value])));
    }
  }
  return deepest;
}

function operationDepth(document: DocumentNode, operationName: string | undefined): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let deepest = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    deepest = Math.max(deepest, selectionDepth(definition.selectionSet, fragments));
  }
  return deepest;
}

/**
 * Refuses, before anything runs, operations deeper than {@link MAX_QUERY_DEPTH} or costlier than
 * {@link MAX_QUERY_COST} (estimated by graphql-query-complexity with {@link connectionEstimator}),
 * with `extensions.code` QUERY_TOO_DEEP / QUERY_TOO_COMPLEX. One anonymous query must not be able
 * to exhaust the api's memory or stall the webhook endpoint it shares a process with.
 */
export function queryCostPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const depth = operationDepth(document, request.operationName ?? undefined);
          if (depth > MAX_QUERY_DEPTH) {
            throw new GraphQLError(`Query is ${depth} levels deep; at most ${MAX_QUERY_DEPTH} are allowed`, {
              extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth: MAX_QUERY_DEPTH, http: { status: 400 } },
            });
          }
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
