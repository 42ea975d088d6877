import type { ValueTransformer } from 'typeorm';

/**
 * Maps Postgres `bigint` (returned by `pg` as a string) to a JS number. GitHub's numeric ids
 * stay below 2^53, so no precision is lost; larger values raise instead of rounding.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null || value === undefined) return value;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new RangeError(`bigint ${value} exceeds Number.MAX_SAFE_INTEGER`);
    return parsed;
  },
};
