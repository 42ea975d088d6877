import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { z } from 'zod';

/** RFC 3339 date-time with its offset (`Z` or `±hh:mm`), a real calendar day (zod's ISO check). */
const dateTimeSchema = z.iso.datetime({ offset: true });

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !dateTimeSchema.safeParse(value).success) {
    throw new GraphQLError(
      `DateTime must be an RFC 3339 date-time with an offset on a real calendar day, e.g. 2024-06-01T09:00:00Z; got ${JSON.stringify(value)}`,
    );
  }
  return new Date(value);
}

/**
 * The `DateTime` scalar with validated input: Nest's default reads any value with `new Date`,
 * which moved `2024-02-30T00:00:00Z` to 1 March, read `2024-06-01 junk` as 6 June, a time
 * without an offset in the server's time zone, and a number as epoch milliseconds. Input must
 * be an RFC 3339 date-time with an offset (a variable or literal otherwise fails validation:
 * BAD_USER_INPUT); output is the ISO 8601 UTC form, as before. Same name and description, so
 * the schema is unchanged.
 */
export const StrictDateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  parseValue: parse,
  serialize(value) {
    return value instanceof Date ? value.toISOString() : null;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string, e.g. "2024-06-01T09:00:00Z"');
    return parse(ast.value);
  },
});
