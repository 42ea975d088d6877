/**
 * The stargazer sync's resume point, stored in `sync_state.cursor` (the tail page's ETag is the
 * row's `etag`). GitHub lists stargazers oldest first, so new stars appear on the last page.
 */
export interface StarCursor {
  /** The 1-based page the next run asks for first (the last page seen, or the one after a full last page). */
  tailPage: number;
  /** Stars listed by the last completed run. */
  count: number;
  /** UTC ISO instant of the last complete re-list; absent before the first. */
  relistedAt?: string;
  /** `stargazers_count` minus the stars listed, at the last re-list. */
  drift?: number;
}

/** Reads a stored cursor, ignoring fields of the wrong type (first run: tail page 1, count 0). */
export function readStarCursor(raw: unknown): StarCursor {
  const value = (raw ?? {}) as Record<string, unknown>;
  const cursor: StarCursor = {
    tailPage: typeof value.tailPage === 'number' && Number.isSafeInteger(value.tailPage) && value.tailPage >= 1 ? value.tailPage : 1,
    count: typeof value.count === 'number' && value.count >= 0 ? value.count : 0,
  };
  if (typeof value.relistedAt === 'string' && !Number.isNaN(Date.parse(value.relistedAt))) cursor.relistedAt = value.relistedAt;
  if (typeof value.drift === 'number') cursor.drift = value.drift;
  return cursor;
}

/**
 * Where the next run starts, given the last page a run read: that page with its ETag, unless it
 * was full — then a star added later goes to the next page, whose body the full page's ETag would
 * never reveal, so the next run asks for the next page unconditionally.
 */
export function starTailAfter(lastPage: number, lastCount: number, lastEtag: string | null, perPage: number): { page: number; etag: string | null } {
  return lastCount >= perPage ? { page: lastPage + 1, etag: null } : { page: lastPage, etag: lastEtag };
}
