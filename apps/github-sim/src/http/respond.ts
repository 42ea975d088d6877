import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagFor, ifNoneMatchMatches } from './etag.js';
import { buildLinkHeader, parsePageParams, slicePage } from './pagination.js';
import type { PreparedResponse, ResponseCache } from './response-cache.js';

/** The first value of a query parameter (repeated parameters: the first wins), or undefined. */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Serialises a JSON body once: bytes, a body-derived ETag, and extra headers. */
export function prepareJson(body: unknown, headers: Record<string, string> = {}): PreparedResponse {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  return { body: bytes, etag: etagFor(bytes), headers };
}

/**
 * Serialises one page of a list with GitHub's pagination: `per_page`/`page` from the query, `Link` header with
 * absolute URLs under `apiUrl` keeping the other query parameters. Only the page's items are rendered.
 */
export function preparePage<T>(request: FastifyRequest, items: readonly T[], apiUrl: string, render: (item: T) => unknown): PreparedResponse {
  const params = parsePageParams(queryParam(request, 'per_page'), queryParam(request, 'page'));
  const page = slicePage(items, params);
  const link = buildLinkHeader(new URL(request.url, `${apiUrl}/`), params.page, page.lastPage);
  return prepareJson(page.items.map(render), link ? { link } : {});
}

/**
 * Sends a prepared 200 with its `ETag`, or `304 Not Modified` with an empty body when `If-None-Match` matches
 * (GitHub Docs, "Best practices: use conditional requests"). The 304's rate-limit refund happens in onSend.
 */
export function sendPrepared(request: FastifyRequest, reply: FastifyReply, prepared: PreparedResponse): FastifyReply {
  reply.header('etag', prepared.etag);
  if (ifNoneMatchMatches(request.headers['if-none-match'], prepared.etag)) return reply.code(304).send();
  for (const [name, value] of Object.entries(prepared.headers)) reply.header(name, value);
  return reply.code(200).type('application/json; charset=utf-8').send(prepared.body);
}

/** Sends a JSON body that is not cached (it varies per client or over time). */
export function sendJson(request: FastifyRequest, reply: FastifyReply, body: unknown): FastifyReply {
  return sendPrepared(request, reply, prepareJson(body));
}

/** Sends the response for this request URL from the cache, producing it on a miss. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, cache: ResponseCache, produce: () => PreparedResponse): FastifyReply {
  return sendPrepared(request, reply, cache.getOrCreate(request.url, produce));
}

/** Sends a GitHub error body with a status. */
export function sendError(reply: FastifyReply, status: number, body: Record<string, string>): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
