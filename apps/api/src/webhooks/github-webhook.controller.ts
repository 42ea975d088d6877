import { Controller, HttpCode, HttpStatus, Post, Req, Res, UseFilters } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebhookIngestService } from '#libs/github';
import { rateLimited } from '../http/rate-limit.js';
import type { RouteBodyOptions } from './route-body-options.js';
import { WebhookExceptionFilter } from './webhook-exception.filter.js';

/** GitHub caps webhook payloads at 25 MB (GitHub Docs, "Webhook events and payloads"). */
export const GITHUB_WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

const ROUTE_CONFIG = { bodyLimit: GITHUB_WEBHOOK_BODY_LIMIT, unparsedBody: true, ...rateLimited('webhook') } satisfies RouteBodyOptions;

/** `POST /webhooks/github`: GitHub's webhook deliveries (JSON or form-encoded). */
@Controller('webhooks')
@UseFilters(WebhookExceptionFilter)
export class GithubWebhookController {
  constructor(private readonly ingest: WebhookIngestService) {}

  /**
   * `202 {"delivery": "<id>", "status": "queued"}` once the delivery is stored (committed) and its job
   * enqueued, or `"status": "stored"` when Redis did not take the job (the api's relay does, once Redis is back);
   * `200 {"status": "duplicate"}` for a delivery id already stored; 401 for a missing or wrong
   * `X-Hub-Signature-256`; 400 naming a missing header or for a payload that is not JSON;
   * 413 above 25 MB; 415 for other content types; 429 with `Retry-After` past the source address's
   * budget (`RATE_LIMIT_WEBHOOK_PER_IP`); 503 when Postgres did not store the delivery (nothing
   * written; GitHub records a failed delivery, which can be redelivered).
   */
  @Post('github')
  @HttpCode(HttpStatus.ACCEPTED)
  @RouteConfig(ROUTE_CONFIG)
  async receive(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // JSON and form bodies arrive unparsed (RouteBodyOptions); Fastify hands text/plain over as a string
    const { body } = request;
    const rawBody = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.alloc(0);
    const result = await this.ingest.receive({ rawBody, headers: request.headers });
    if (result.status === 'duplicate') {
      void reply.status(HttpStatus.OK);
      return { status: 'duplicate' };
    }
    // stored either way; `stored` says the job waits for the relay (Redis did not take it)
    return { delivery: result.deliveryId, status: result.enqueued ? 'queued' : 'stored' };
  }
}
