import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagFor, ifNoneMatchMatches } from './etag.js';
import { buildLinkHeader, parsePageParams, slicePage } from './pagination.js';

/** The first value of a query parameter (repeated parameters: the first wins), or undefined. */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sends a 200 JSON body with a body-derived `ETag`, or `304 Not Modified` with an empty body when `If-None-Match`
 * matches (GitHub Docs, "Best practices: use conditional requests"). Rate-limit accounting of the 304 happens in the
 * server's onSend hook.
 */
export function sendJson(request: FastifyRequest, reply: FastifyReply, body: unknown, headers: Record<string, string> = {}): FastifyReply {
  const text = JSON.stringify(body);
  const etag = etagFor(text);
  reply.header('etag', etag);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) {
    reply.removeHeader('link');
    return reply.code(304).send();
  }
  return reply.code(200).type('application/json; charset=utf-8').send(text);
}

/**
 * Sends one page of a list with GitHub's pagination: `per_page`/`page` from the query, `Link` header with absolute
 * URLs under `apiUrl` keeping the other query parameters. Rendering is deferred to the page's items only.
 */
export function sendPage<T>(request: FastifyRequest, reply: FastifyReply, items: readonly T[], apiUrl: string, render: (item: T) => unknown): FastifyReply {
  const params = parsePageParams(queryParam(request, 'per_page'), queryParam(request, 'page'));
  const page = slicePage(items, params);
  const link = buildLinkHeader(new URL(request.url, `${apiUrl}/`), params.page, page.lastPage);
  return sendJson(request, reply, page.items.map(render), link ? { link } : {});
}

/** Sends a GitHub error body with a status. */
export function sendError(reply: FastifyReply, status: number, body: Record<string, string>): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
