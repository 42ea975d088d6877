import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { parse, validate, visit, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';

/**
 * Longest GraphQL document accepted (characters of `query`); a longer one is refused with 413
 * before it is parsed. Ample for hand-written operations, which rarely reach a few thousand.
 */
export const MAX_DOCUMENT_CHARACTERS = 20_000;
/** Most lexical tokens a document may have; parsing stops at the next one (graphql-js `maxTokens`). */
export const MAX_DOCUMENT_TOKENS = 2_000;
/**
 * Most field selections a document may have (each fragment counted once). Checked before
 * validation, whose overlapping-fields rule costs time quadratic in repeated fields.
 */
export const MAX_FIELDS = 200;
/** Most aliases an operation may use (fragments expanded; `__typename` free). */
export const MAX_ALIASES = 30;
/** Deepest selection nesting an operation may have (fields inside fields, fragments expanded). */
export const MAX_QUERY_DEPTH = 12;
/** Largest `/graphql` request body (bytes): a document at its limit plus ample variables. */
export const GRAPHQL_BODY_LIMIT = 256 * 1024;

/** A refusal of a document: `extensions.code`, a message naming the limit, and the HTTP status. */
export interface DocumentRefusal {
  status: 400 | 413;
  code: string;
  message: string;
  extensions: Record<string, number>;
}

/** Field selections in `document`: every field node of every operation and fragment, once each. */
export function countFields(document: DocumentNode): number {
  let fields = 0;
  visit(document, {
    Field() {
      fields += 1;
    },
  });
  return fields;
}

/**
 * Checks a GraphQL document before Apollo sees it, cheapest first:
 * - over {@link MAX_DOCUMENT_CHARACTERS} characters: 413 DOCUMENT_TOO_LARGE, unparsed;
 * - parsed with graphql-js's `maxTokens` ({@link MAX_DOCUMENT_TOKENS}); a syntax error (or too
 *   many tokens) is left to Apollo, which answers 400 GRAPHQL_PARSE_FAILED with the same limit;
 * - over {@link MAX_FIELDS} field selections: 400 QUERY_TOO_MANY_FIELDS (before validation, whose
 *   overlapping-fields rule costs time quadratic in repeated fields);
 * - deeper than {@link MAX_QUERY_DEPTH}: 400 QUERY_TOO_DEEP; more than {@link MAX_ALIASES} aliases:
 *   400 QUERY_TOO_MANY_ALIASES (GraphQL Armor's validation rules, fragments expanded,
 *   introspection's `__schema` not counted for depth).
 * @returns null when the document may go on to Apollo.
 */
export function checkDocument(schema: GraphQLSchema, source: string): DocumentRefusal | null {
  if (source.length > MAX_DOCUMENT_CHARACTERS) {
    return {
      status: 413,
      code: 'DOCUMENT_TOO_LARGE',
      message: `Document is ${source.length} characters long; at most ${MAX_DOCUMENT_CHARACTERS} are allowed`,
      extensions: { characters: source.length, maxCharacters: MAX_DOCUMENT_CHARACTERS },
    };
  }
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: MAX_DOCUMENT_TOKENS });
  } catch {
    return null;
  }
  const fields = countFields(document);
  if (fields > MAX_FIELDS) {
    return {
      status: 400,
      code: 'QUERY_TOO_MANY_FIELDS',
      message: `Document selects ${fields} fields; at most ${MAX_FIELDS} are allowed`,
      extensions: { fields, maxFields: MAX_FIELDS },
    };
  }
  const limits: Array<[code: string, extra: Record<string, number>, rule: (reject: (message: string) => void) => ValidationRule]> = [
    ['QUERY_TOO_DEEP', { maxDepth: MAX_QUERY_DEPTH }, (reject) => maxDepthRule({ n: MAX_QUERY_DEPTH, flattenFragments: true, ...rejectWith(reject) })],
    ['QUERY_TOO_MANY_ALIASES', { maxAliases: MAX_ALIASES }, (reject) => maxAliasesRule({ n: MAX_ALIASES, ...rejectWith(reject) })],
  ];
  for (const [code, extensions, rule] of limits) {
    let rejected: string | undefined;
    validate(schema, document, [rule((message) => (rejected ??= message))]);
    if (rejected !== undefined) return { status: 400, code, message: rejected.replace(/^Syntax Error: /, ''), extensions };
  }
  return null;
}

/** GraphQL Armor options that hand a rejection's message to `reject` instead of throwing. */
function rejectWith(reject: (message: string) => void) {
  return { propagateOnRejection: false, onReject: [(_context: unknown, error: { message: string }) => reject(error.message)] };
}

/** The GraphQL document of a request to `/graphql`: `query` of a POST body or of a GET's query string. */
function documentOf(request: FastifyRequest): unknown {
  const source = request.method === 'GET' ? request.query : request.body;
  return source && typeof source === 'object' ? (source as { query?: unknown }).query : undefined;
}

/** Documents remembered as accepted by {@link documentGuard} (at most this many, least recently used dropped). */
export const ACCEPTED_DOCUMENTS_CACHED = 1000;
/** Most characters of documents remembered as accepted, in total. */
const ACCEPTED_DOCUMENTS_CHARACTERS = 4_000_000;

/**
 * A Fastify `preHandler` for `/graphql` that answers a document {@link checkDocument} refuses, as a
 * GraphQL response (`errors[0].extensions.code`), before Apollo parses it or looks up a token.
 * The verdict depends only on the schema and the document's text, so accepted texts are remembered
 * ({@link ACCEPTED_DOCUMENTS_CACHED}, each at most {@link MAX_DOCUMENT_CHARACTERS} long): a client
 * repeating its operations skips the parse and the two validation passes (bench/members: ~8% of the
 * api's CPU per leaderboard request). Refusals are not remembered (each is checked again).
 * @param schema the served schema (read per request: it exists once the app is initialised).
 */
export function documentGuard(schema: () => GraphQLSchema) {
  const accepted = new LRUCache<string, true>({
    max: ACCEPTED_DOCUMENTS_CACHED,
    maxSize: ACCEPTED_DOCUMENTS_CHARACTERS,
    sizeCalculation: (_value, key) => Math.max(1, key.length),
  });
  let acceptedFor: GraphQLSchema | undefined;
  return async function refuseDocument(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const document = documentOf(request);
    if (typeof document !== 'string') return undefined;
    const served = schema();
    if (served !== acceptedFor) {
      accepted.clear();
      acceptedFor = served;
    }
    if (accepted.has(document)) return undefined;
    const refusal = checkDocument(served, document);
    if (!refusal) {
      if (document.length <= MAX_DOCUMENT_CHARACTERS) accepted.set(document, true);
      return undefined;
    }
    return reply.code(refusal.status).send({ errors: [{ message: refusal.message, extensions: { code: refusal.code, ...refusal.extensions } }] });
  };
}
