import { ForbiddenException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { AuthException, AuthExceptionCode } from '#libs/auth';
import { QueryException, QueryExceptionCode } from '#libs/members';
import { apiCodeForDomainCode, formatGraphqlError, withoutSuggestions } from './graphql-error-mapper.js';

class EcosystemException extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'EcosystemException';
  }
}

/** What graphql-js hands Apollo for an error thrown in a resolver. */
function fromResolver(thrown: unknown): { formatted: GraphQLFormattedError; error: GraphQLError } {
  const error = new GraphQLError(thrown instanceof Error ? thrown.message : String(thrown), {
    path: ['members'],
    originalError: thrown instanceof Error ? thrown : undefined,
  });
  return { error, formatted: { message: error.message, path: ['members'], extensions: { code: 'INTERNAL_SERVER_ERROR' } } };
}

describe('apiCodeForDomainCode', () => {
  it.each([
    ['NOT_FOUND', 'NOT_FOUND'],
    ['ECOSYSTEM_NOT_FOUND', 'NOT_FOUND'],
    ['ECOSYSTEM_ALREADY_EXISTS', 'CONFLICT'],
    ['ECOSYSTEM_INVALID_SLUG', 'BAD_USER_INPUT'],
    ['ECOSYSTEM_INVALID_SOURCE', 'BAD_USER_INPUT'],
    ['BAD_USER_INPUT', 'BAD_USER_INPUT'],
    ['UNAUTHENTICATED', 'UNAUTHENTICATED'],
    ['FORBIDDEN', 'FORBIDDEN'],
    ['SECRETS_KEY_MISSING_FAILED_PRECONDITION', 'FAILED_PRECONDITION'],
    ['SECRETS_DECRYPT_FAILED', null],
    ['23505', null],
    ['ECONNREFUSED', null],
  ])('%s → %s', (code, expected) => {
    expect(apiCodeForDomainCode(code)).toBe(expected);
  });
});

describe('formatGraphqlError', () => {
  it.each([
    [new QueryException('No tracked repository "x/y"', QueryExceptionCode.NOT_FOUND), { code: 'NOT_FOUND' }],
    [new AuthException('needs a token', AuthExceptionCode.UNAUTHENTICATED), { code: 'UNAUTHENTICATED' }],
    [new EcosystemException('exists', 'ECOSYSTEM_ALREADY_EXISTS'), { code: 'CONFLICT', reason: 'ECOSYSTEM_ALREADY_EXISTS' }],
    [new ForbiddenException('no'), { code: 'FORBIDDEN' }],
  ])('shows a known error with its code: %s', (thrown, extensions) => {
    const { formatted, error } = fromResolver(thrown);
    expect(formatGraphqlError(formatted, error)).toEqual({
      message: (thrown as Error).message,
      path: ['members'],
      locations: undefined,
      extensions,
    });
  });

  it('turns a zod error into BAD_USER_INPUT naming the argument', () => {
    const parsed = z.object({ first: z.number().max(100) }).safeParse({ first: 1000 });
    const { formatted, error } = fromResolver(parsed.error);
    const shown = formatGraphqlError(formatted, error);
    expect(shown.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(shown.message).toMatch(/^Invalid arguments: first: /);
  });

  it('hides the message of an unknown error', () => {
    const { formatted, error } = fromResolver(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }));
    expect(formatGraphqlError(formatted, error)).toEqual({
      message: 'Internal server error',
      path: ['members'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps GraphQL validation errors as Apollo formatted them, without a stack trace', () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".');
    const formatted = { message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['...'] } };
    expect(formatGraphqlError(formatted, error)).toEqual({
      message: error.message,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe('withoutSuggestions', () => {
  it.each([
    ['Cannot query field "membrs" on type "Query". Did you mean "members" or "member"?', 'Cannot query field "membrs" on type "Query".'],
    ['Unknown argument "frist" on field "Query.members". Did you mean "first"?', 'Unknown argument "frist" on field "Query.members".'],
    ['Cannot query field "zzz" on type "Query".', 'Cannot query field "zzz" on type "Query".'],
  ])('%j → %j', (message, expected) => {
    expect(withoutSuggestions({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })).toEqual({
      message: expected,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
