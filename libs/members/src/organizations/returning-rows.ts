/**
 * The rows of a `RETURNING` statement run through TypeORM's `query`: for UPDATE and DELETE the
 * Postgres driver answers `[rows, affectedCount]`, for INSERT and SELECT just the rows.
 */
export function returningRows<Row>(result: unknown): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Row[];
  }
  return result as Row[];
}
