import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { ApiTokenService, SessionService } from '#libs/auth';
import { QueueName } from '#libs/queue';
import { queueBoardRefusal, sendRefusal } from './queue-board-access.js';
import { localizeQueueBoardPage, QUEUE_BOARD_LANGUAGE_PARAM, QUEUE_BOARD_TITLES, queueBoardLocale } from './queue-board-language.js';

/** Where the queue dashboard (bull-board) is served; admins only (see queue-board-access.ts). */
export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Content-Security-Policy of the dashboard's pages and API: bull-board's page loads its own scripts and
 * styles (relative to a `<base href>` of the board's path, hence `base-uri 'self'`), carries its config
 * in a JSON `<script>` block (data, not executed), styles inline, and calls its API on the same origin.
 * Its locale files (`static/locales/<locale>/messages.json`) are fetched from the same origin. Its Google
 * Fonts stylesheet is not allowed (the system fonts serve). No framing.
 */
export const QUEUE_BOARD_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'none'; script-src 'self'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'";

/**
 * Mounts bull-board (`@bull-board/api` + `@bull-board/fastify`) at {@link QUEUE_BOARD_PATH} over every
 * BullMQ queue of {@link QueueName}, using the app's own Queue instances (so `QUEUE_PREFIX` and the Redis
 * connection are the configured ones). Every request below the path, page, assets and API alike, first
 * passes {@link queueBoardRefusal} (admins only; 401/403 as plain text otherwise) and carries
 * {@link QUEUE_BOARD_CONTENT_SECURITY_POLICY} instead of the api's default policy. A page asked for with
 * `?lng=en|zh-CN` (the console's language) is served in that language (queue-board-language.ts). Call before
 * `init()`/`listen()`, after the HTTP protections and the cookie parser.
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const queues = Object.values(QueueName).map((name) => app.get<Queue>(getQueueToken(name), { strict: false }));
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: QUEUE_BOARD_TITLES['en-US'], hideDocsLink: true } },
  });
  const credentials = { tokens: app.get(ApiTokenService, { strict: false }), sessions: app.get(SessionService, { strict: false }) };
  // an encapsulated scope: the hooks below apply to the dashboard's routes only
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request, reply) => {
      const refusal = await queueBoardRefusal(request, credentials);
      if (refusal) return sendRefusal(reply, refusal);
    });
    scope.addHook('onSend', async (request, reply, payload) => {
      void reply.header('content-security-policy', QUEUE_BOARD_CONTENT_SECURITY_POLICY);
      const locale = queueBoardLocale((request.query as Record<string, unknown> | undefined)?.[QUEUE_BOARD_LANGUAGE_PARAM]);
      const page = typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('text/html');
      return locale && page ? localizeQueueBoardPage(payload, locale) : payload;
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
