import { parseLinkHeader, relativeToBase } from './link-header.js';

/**
 * An answer GitHub (or whatever answered in its place) sent that Cambrian refuses to act on: a
 * body that is not the JSON the endpoint documents, or a pagination link leaving the API host.
 * Thrown before anything of the page is written or any cursor moves, so the resource's pass
 * fails, keeps its cursor and ETag, and the next run asks the same page again.
 */
export class GithubResponseError extends Error {
  constructor(
    message: string,
    /** The request path (relative to the API base) whose answer was refused. */
    readonly path: string,
  ) {
    super(message);
    this.name = 'GithubResponseError';
  }
}

/** The subset of an Octokit answer the guards read. */
interface AnswerLike {
  data: unknown;
  headers: Record<string, string | number | undefined>;
  url?: string;
}

function describe(data: unknown): string {
  if (typeof data === 'string') return data.length === 0 ? 'an empty body' : `a body that is not JSON (${data.length} characters)`;
  if (data === null) return 'null';
  if (data instanceof ArrayBuffer) return `a binary body (${data.byteLength} bytes)`;
  return Array.isArray(data) ? 'an array' : `a JSON ${typeof data}`;
}

/**
 * The items of one page of a GitHub list endpoint (a JSON array; GitHub Docs, "Using pagination
 * in the REST API"). Octokit hands a body that fails to parse as JSON over as its raw text, and
 * treating that as an empty page would end the pass and store its ETag: the listing would then
 * answer 304 forever and its items would never be read.
 * @throws GithubResponseError when the body is not a JSON array.
 */
export function pageItems<T>(response: AnswerLike, path: string): T[] {
  if (Array.isArray(response.data)) return response.data as T[];
  throw new GithubResponseError(`GitHub answered ${path} with ${describe(response.data)} where a JSON array was expected`, path);
}

/**
 * The JSON object of a single-resource endpoint (`GET /repos/{owner}/{repo}`).
 * @throws GithubResponseError when the body is not a JSON object.
 */
export function answerObject<T>(response: AnswerLike, path: string): T {
  const data = response.data;
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && !(data instanceof ArrayBuffer)) return data as T;
  throw new GithubResponseError(`GitHub answered ${path} with ${describe(data)} where a JSON object was expected`, path);
}

/**
 * The next page of an answer (`Link: rel="next"`), relative to the API base, or null on the
 * last page. A link to another host (or outside the base path) is refused: following it would
 * send the token's `Authorization` header there.
 * @throws GithubResponseError for a next link outside `baseUrl`.
 */
export function nextPagePath(response: AnswerLike, baseUrl: string, path: string): string | null {
  const link = parseLinkHeader(String(response.headers.link ?? '')).next;
  if (!link) return null;
  const relative = relativeToBase(link, baseUrl);
  if (!relative.startsWith('/') || relative.startsWith('//')) {
    throw new GithubResponseError(`GitHub answered ${path} with a next page outside ${baseUrl} (${link}); not followed`, path);
  }
  return relative;
}
