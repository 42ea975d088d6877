import { HttpException } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ZodError } from 'zod';

/** The `extensions.code` values this API answers with (besides Apollo's request-level codes). */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'FAILED_PRECONDITION'
  | 'INTERNAL_SERVER_ERROR';

/**
 * Maps a domain exception's code to the API code. Libraries name codes in their own words
 * (`NOT_FOUND`, `ECOSYSTEM_ALREADY_EXISTS`, `ECOSYSTEM_INVALID_SLUG`); the mapper reads the
 * standard suffix or word, so a new library needs no change here.
 * @returns null for a code that is not a known domain code (e.g. a Postgres SQLSTATE).
 */
export function apiCodeForDomainCode(code: string): ApiErrorCode | null {
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return code;
  if (/(^|_)NOT_FOUND$/.test(code)) return 'NOT_FOUND';
  if (/(^|_)(ALREADY_EXISTS|CONFLICT)$/.test(code)) return 'CONFLICT';
  if (/(^|_)(BAD_USER_INPUT|INVALID)(_|$)/.test(code)) return 'BAD_USER_INPUT';
  // the deployment lacks something the operation needs (e.g. CAMBRIAN_SECRETS_KEY): the caller can act on the message
  if (/(^|_)FAILED_PRECONDITION$/.test(code)) return 'FAILED_PRECONDITION';
  return null;
}

const HTTP_STATUS_CODES: Record<number, ApiErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

/** How an error is shown: a known error keeps a message for people; anything else is hidden. */
export type ErrorClass =
  | { known: true; message: string; extensions?: Record<string, unknown> }
  | { known: true; keepFormatted: true }
  | { known: false };

/**
 * Classifies what a resolver (or Apollo) raised:
 * - a domain exception (an `Error` named `...Exception` with a code such as `NOT_FOUND` or
 *   `ECOSYSTEM_ALREADY_EXISTS`) → its message, `extensions.code`, and `extensions.reason` with
 *   the domain's own code when that differs;
 * - a zod validation error → BAD_USER_INPUT naming each argument;
 * - a Nest HTTP exception (guards, pipes) → the code of its status;
 * - a GraphQLError (syntax, validation, variable coercion, or raised on purpose) → as Apollo
 *   formatted it;
 * - anything else → unknown.
 */
export function classifyError(error: unknown): ErrorClass {
  const original = unwrapResolverError(error);
  if (original instanceof Error && original.name.endsWith('Exception')) {
    const code = (original as { code?: unknown }).code;
    const api = typeof code === 'string' ? apiCodeForDomainCode(code) : null;
    if (api) {
      return { known: true, message: original.message, extensions: api === code ? { code } : { code: api, reason: code } };
    }
  }
  if (original instanceof ZodError) {
    const detail = original.issues
      .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return { known: true, message: `Invalid arguments: ${detail}`, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (original instanceof HttpException && HTTP_STATUS_CODES[original.getStatus()]) {
    return { known: true, message: original.message, extensions: { code: HTTP_STATUS_CODES[original.getStatus()] } };
  }
  if (original instanceof GraphQLError) return { known: true, keepFormatted: true };
  return { known: false };
}

/**
 * Apollo's `formatError`: the one place errors become GraphQL errors (see {@link classifyError}).
 * Unknown errors are answered as `Internal server error` with INTERNAL_SERVER_ERROR and no
 * message, stack or internals; {@link logUnknownErrors} logs them with the request id.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const classified = classifyError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (!classified.known) return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  if ('keepFormatted' in classified) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return { ...base, message: classified.message, extensions: classified.extensions };
}

/**
 * `formatted` without graphql-js's "Did you mean ...?" hints, which name fields, types and
 * arguments close to a misspelt one and so would spell out the schema while introspection is off
 * (production).
 */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/ ?Did you mean .*\?$/s, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}
