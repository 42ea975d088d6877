/**
 * The resume point of a newest-first listing (commits of the default branch; pull requests by
 * `updated` descending), stored in `sync_state.cursor`.
 *
 * A *pass* walks pages from the first one, following `Link: rel="next"`, until there is no next
 * page or a page reaches items older than the `watermark` (the newest instant the previous
 * completed pass saw: everything older was stored then). After each page is written the pass is
 * saved with the URL of the next page, so a crash resumes there; items inserted at the top
 * meanwhile only shift older items onto later pages (seen twice, stored once) and are picked
 * up by the next pass. When a pass completes, the watermark moves to the newest instant it saw
 * and the ETag of its first page is kept, so the next pass starts with a conditional request.
 */
export interface ListingCursor {
  /** UTC ISO instant: newest item instant of the last completed pass. */
  watermark?: string;
  /** A pass in progress. */
  pass?: ListingPass;
}

export interface ListingPass {
  /** The next page's URL, relative to the API base. */
  next: string;
  /** ETag of the pass's first page, stored when the pass completes. */
  etag: string | null;
  /** Newest item instant seen so far in this pass (UTC ISO). */
  newest: string | null;
  /** Pages written in this pass. */
  pages: number;
}

/** One page as the pass sees it. */
export interface ListingPage {
  /** True for the first page of a new pass (not a resumed one). */
  first: boolean;
  /** The instant each item is ordered by (commit date, `updated_at`), ISO 8601. */
  instants: string[];
  /** Relative URL of the next page (`Link: rel="next"`), or null on the last page. */
  next: string | null;
  /** The page's ETag (kept from the first page only). */
  etag: string | null;
}

/** What to store after a page is written. */
export interface ListingStep {
  cursor: ListingCursor;
  /** The pass is over: store `etag` as the resource's ETag. */
  done: boolean;
  etag: string | null;
}

/** Reads a stored cursor, ignoring fields of the wrong type (a cursor is never trusted blindly). */
export function readListingCursor(raw: unknown): ListingCursor {
  const value = (raw ?? {}) as Record<string, unknown>;
  const cursor: ListingCursor = {};
  if (typeof value.watermark === 'string' && !Number.isNaN(Date.parse(value.watermark))) cursor.watermark = value.watermark;
  const pass = value.pass as Record<string, unknown> | undefined;
  if (pass && typeof pass.next === 'string' && pass.next) {
    cursor.pass = {
      next: pass.next,
      etag: typeof pass.etag === 'string' ? pass.etag : null,
      newest: typeof pass.newest === 'string' ? pass.newest : null,
      pages: typeof pass.pages === 'number' ? pass.pages : 0,
    };
  }
  return cursor;
}

/** The later of two ISO instants (null-tolerant), normalised to `toISOString()`. */
export function laterInstant(a: string | null | undefined, b: string | null | undefined): string | null {
  const times = [a, b].filter((value): value is string => !!value && !Number.isNaN(Date.parse(value))).map(Date.parse);
  return times.length ? new Date(Math.max(...times)).toISOString() : null;
}

/**
 * Advances a pass by one written page (pure): decides whether the pass is over — no next page,
 * or the page holds an item older than the watermark — and what cursor to store.
 */
export function advanceListing(cursor: ListingCursor, page: ListingPage): ListingStep {
  const previous: ListingPass | undefined = page.first ? undefined : cursor.pass;
  const newest = page.instants.reduce<string | null>((acc, instant) => laterInstant(acc, instant), previous?.newest ?? null);
  const etag = page.first ? page.etag : (previous?.etag ?? null);
  const pages = (previous?.pages ?? 0) + 1;
  const watermark = cursor.watermark ? Date.parse(cursor.watermark) : null;
  const reachedWatermark = watermark !== null && page.instants.some((instant) => Date.parse(instant) < watermark);
  if (!page.next || reachedWatermark) {
    const next: ListingCursor = {};
    const mark = laterInstant(cursor.watermark, newest);
    if (mark) next.watermark = mark;
    return { cursor: next, done: true, etag };
  }
  return {
    cursor: { ...(cursor.watermark ? { watermark: cursor.watermark } : {}), pass: { next: page.next, etag, newest, pages } },
    done: false,
    etag,
  };
}
