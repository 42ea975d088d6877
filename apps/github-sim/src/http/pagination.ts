/** Page request after GitHub's defaulting rules. */
export interface PageParams {
  /** 1-based. */
  page: number;
  /** 1..100. */
  perPage: number;
}

/** GitHub's default and maximum `per_page`. */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

function positiveInt(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

/**
 * `per_page` and `page` as GitHub reads them (GitHub Docs, "Using pagination in the REST API"): per_page defaults
 * to 30 and is capped at 100; page is 1-based and defaults to 1. Missing, zero or non-numeric values fall back to
 * the default rather than failing.
 */
export function parsePageParams(perPage: string | undefined, page: string | undefined): PageParams {
  return {
    perPage: Math.min(positiveInt(perPage) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE),
    page: positiveInt(page) ?? 1,
  };
}

/** One page of `items` and the number of the last page (at least 1, also for an empty list). */
export function slicePage<T>(items: readonly T[], params: PageParams): { items: T[]; lastPage: number } {
  const start = (params.page - 1) * params.perPage;
  return {
    items: items.slice(start, start + params.perPage),
    lastPage: Math.max(1, Math.ceil(items.length / params.perPage)),
  };
}

/** `requestUrl` with `page` set to `page`: other query parameters keep their order, `page` goes last. */
export function pageUrl(requestUrl: URL, page: number): string {
  const url = new URL(requestUrl.href);
  url.searchParams.delete('page');
  url.searchParams.append('page', String(page));
  return url.href;
}

/**
 * GitHub's `Link` header for a list page, or undefined when there is a single page and it is the one asked for.
 * Relations and their order as api.github.com writes them: `prev`, `next`, `last`, `first` — first page:
 * next + last; middle: all four; last page: prev + first. URLs are absolute and keep the other query parameters.
 */
export function buildLinkHeader(requestUrl: URL, page: number, lastPage: number): string | undefined {
  const parts: string[] = [];
  if (page > 1) parts.push(`<${pageUrl(requestUrl, page - 1)}>; rel="prev"`);
  if (page < lastPage) {
    parts.push(`<${pageUrl(requestUrl, page + 1)}>; rel="next"`);
    parts.push(`<${pageUrl(requestUrl, lastPage)}>; rel="last"`);
  }
  if (page > 1) parts.push(`<${pageUrl(requestUrl, 1)}>; rel="first"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
