/**
 * NUL (U+0000) in text input. Postgres refuses it in `text` columns and parameters, so a value
 * holding one would fail as an internal error instead of as bad input. The GraphQL layer refuses it
 * before any resolver runs (apps/api/src/graphql/text-input.plugin.ts); this is the same rule at the
 * library boundary, for the callers that reach the services directly (the CLI, the demo seed).
 */

/** The rule's wording, after the field's name (`title: must not contain a NUL character`). */
export const NO_NUL_MESSAGE = 'must not contain a NUL character';

/** True when `value` holds no NUL (null and undefined hold none); a zod `refine` predicate. */
export const noNul = (value: string | null | undefined): boolean => value == null || !value.includes('\u0000');

/**
 * Refuses text fields holding a NUL.
 * @param fields the caller's text arguments by name (null and undefined are skipped).
 * @param fail makes the service's own bad-input error from the message.
 * @throws the error `fail` makes of `<name>: must not contain a NUL character`, for the first such field.
 */
export function refuseNul(fields: Record<string, string | null | undefined>, fail: (message: string) => Error): void {
  for (const [name, value] of Object.entries(fields)) if (!noNul(value)) throw fail(`${name}: ${NO_NUL_MESSAGE}`);
}
