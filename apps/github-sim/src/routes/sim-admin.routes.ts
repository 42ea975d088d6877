import type { FastifyInstance } from 'fastify';
import type { FaultInjector, FaultRuleInput } from '../http/faults.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { RequestLog } from '../http/request-log.js';
import type { SimStats } from '../http/sim-stats.js';
import { summarizeSnapshot } from '../seed/build-snapshot.js';
import type { SimRouteContext } from './route-context.js';

/**
 * Admin routes (not GitHub; never counted, never rate-limited, never faulted):
 * - GET /_sim/stats — counters (requests, by status, 304s, per token);
 * - GET /_sim/requests — every request's arrival and completion (epoch ms), status, client, and the peak
 *   of requests in flight per client;
 * - GET /_sim/faults, POST /_sim/faults (one rule or `{ "rules": [...] }`; 201 with the queue), DELETE /_sim/faults;
 * - GET /_sim/rate-limit/windows — every primary-limit window since the last reset, per client (used,
 *   refused, lowest remaining, start and reset on the sim's clock);
 * - POST /_sim/reset — zero the counters, forget rate-limit windows and faults;
 * - GET /_sim/summary — snapshot counts.
 */
export function registerSimAdminRoutes(app: FastifyInstance, ctx: SimRouteContext, deps: { stats: SimStats; faults: FaultInjector; limiter: RateLimiter; requestLog: RequestLog }): void {
  app.get('/_sim/stats', async () => deps.stats.snapshot());
  app.get('/_sim/requests', async () => deps.requestLog.snapshot());
  app.get('/_sim/summary', async () => summarizeSnapshot(ctx.snapshot));
  app.get('/_sim/faults', async () => ({ faults: deps.faults.list() }));
  app.get('/_sim/rate-limit/windows', async () => ({ windows: deps.limiter.history() }));

  app.post<{ Body: FaultRuleInput | { rules: FaultRuleInput[] } }>('/_sim/faults', async (request, reply) => {
    const body = request.body;
    const rules = body && typeof body === 'object' && 'rules' in body && Array.isArray(body.rules) ? body.rules : [body as FaultRuleInput];
    try {
      for (const rule of rules) deps.faults.add(rule);
    } catch (error) {
      return reply.code(422).send({ message: (error as Error).message });
    }
    return reply.code(201).send({ faults: deps.faults.list() });
  });

  app.delete('/_sim/faults', async (_request, reply) => {
    deps.faults.clear();
    return reply.code(204).send();
  });

  app.post('/_sim/reset', async (_request, reply) => {
    deps.stats.reset();
    deps.requestLog.reset();
    deps.limiter.reset();
    deps.faults.clear();
    return reply.code(204).send();
  });
}
