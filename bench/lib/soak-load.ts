/**
 * The soak benchmark's load generator, in a process of its own (forked by bench/soak.ts) so that
 * its event loop carries nothing but the sending: signed `issue_comment` deliveries at a fixed rate
 * (open loop: request i is due at t0 + i / rate, whatever the answers to earlier ones; late answers
 * do not slow the schedule), over keep-alive connections.
 *
 * Talks to its parent over IPC: receives one {@link LoadPlan}, sends {@link LoadProgress} every
 * 5 s and one {@link LoadResult} at the end (after every request was answered or timed out). Then
 * it answers {@link Redeliver} requests — the same bodies under the same delivery ids, as GitHub
 * redelivers a failed delivery — with {@link Redelivered}, until its parent disconnects.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { issueCommentVariants } from './signed-deliveries.js';

/** What to send. */
export interface LoadPlan {
  type: 'plan';
  /** Base URL of the api, e.g. `http://127.0.0.1:3000`. */
  url: string;
  secret: string;
  /** Deliveries per second. */
  rate: number;
  seconds: number;
  /** Seconds a request may take before it counts as failed (status 0); GitHub waits 10 s. */
  timeoutSeconds: number;
}

/** Sent every 5 s while the load runs. */
export interface LoadProgress {
  type: 'progress';
  /** Seconds since t0. */
  at: number;
  sent: number;
  acknowledged: number;
  inFlight: number;
}

/** Every request, in the order they were due (parallel arrays, one entry per request). */
export interface LoadResult {
  type: 'result';
  /** Date.now() at t0 (the parent maps its own events onto this timeline). */
  startedAtEpochMs: number;
  /** Milliseconds after t0 the request was sent. */
  sentAtMs: number[];
  /** Milliseconds after t0 the request was due (sentAtMs minus this: how far the generator lagged). */
  dueAtMs: number[];
  /** Milliseconds from sending to the end of the answer; -1 without answer. */
  latencyMs: number[];
  /** HTTP status; 0 for a connection error or a timeout. */
  status: number[];
  /** X-GitHub-Delivery of each request. */
  delivery: string[];
  bodyBytes: number;
}

/** Sends deliveries `indices` of the load again (same body, same X-GitHub-Delivery), 16 at a time. */
export interface Redeliver {
  type: 'redeliver';
  indices: number[];
}

/** The status of each redelivery (0: no answer within the timeout). */
export interface Redelivered {
  type: 'redelivered';
  status: number[];
}

/** Comment ids of the soak start here, far from the example's own. */
const FIRST_COMMENT_ID = 5_000_000_000;

const templates = issueCommentVariants(100);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** The body of delivery `i`: variant i mod 100, comment id {@link FIRST_COMMENT_ID} + i. */
function bodyOf(i: number): string {
  const template = templates[i % templates.length];
  return `${template.prefix}${FIRST_COMMENT_ID + i}${template.suffix}`;
}

/** POSTs one signed delivery; calls `finish` once with the status (0: error or timeout). */
function post(plan: LoadPlan, body: string, delivery: string, finish: (status: number) => void): void {
  let done = false;
  const once = (status: number) => {
    if (done) return;
    done = true;
    finish(status);
  };
  const req = request(
    new URL('/webhooks/github', plan.url),
    {
      method: 'POST',
      agent,
      timeout: plan.timeoutSeconds * 1000,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'GitHub-Hookshot/soak',
        'x-github-event': 'issue_comment',
        'x-github-delivery': delivery,
        'x-github-hook-id': '1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', plan.secret).update(body).digest('hex')}`,
      },
    },
    (response) => {
      response.resume();
      response.on('end', () => once(response.statusCode ?? 0));
      response.on('error', () => once(0));
    },
  );
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => once(0));
  req.end(body);
}

async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const total = Math.round(plan.rate * plan.seconds);
  const result: LoadResult = {
    type: 'result',
    startedAtEpochMs: Date.now(),
    sentAtMs: new Array(total),
    dueAtMs: new Array(total),
    latencyMs: new Array(total).fill(-1),
    status: new Array(total).fill(0),
    delivery: new Array(total),
    bodyBytes: Buffer.byteLength(bodyOf(0)),
  };
  const t0 = performance.now();
  let sent = 0;
  let answered = 0;
  let acknowledged = 0;

  const send = (i: number) => {
    const delivery = randomUUID();
    result.delivery[i] = delivery;
    result.dueAtMs[i] = (i * 1000) / plan.rate;
    const started = performance.now();
    result.sentAtMs[i] = started - t0;
    post(plan, bodyOf(i), delivery, (status) => {
      result.status[i] = status;
      if (status > 0) result.latencyMs[i] = performance.now() - started;
      if (status >= 200 && status < 300) acknowledged++;
      answered++;
    });
  };

  const progress = setInterval(() => {
    const message: LoadProgress = { type: 'progress', at: (performance.now() - t0) / 1000, sent, acknowledged, inFlight: sent - answered };
    process.send!(message);
  }, 5000);

  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * plan.rate) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  while (answered < total) await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(progress);
  return result;
}

/** Redelivers `indices` of `result`, 16 at a time; the status of each. */
async function redeliver(plan: LoadPlan, result: LoadResult, indices: number[]): Promise<number[]> {
  const status: number[] = new Array(indices.length).fill(0);
  let next = 0;
  const lane = async () => {
    while (next < indices.length) {
      const k = next++;
      const i = indices[k];
      status[k] = await new Promise<number>((resolve) => post(plan, bodyOf(i), result.delivery[i], resolve));
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  return status;
}

process.once('message', (plan: LoadPlan) => {
  runLoad(plan).then(
    (result) => {
      process.on('message', (message: Redeliver) => {
        void redeliver(plan, result, message.indices).then((status) => process.send!({ type: 'redelivered', status } satisfies Redelivered));
      });
      process.on('disconnect', () => {
        agent.destroy();
        process.exit(0);
      });
      process.send!(result);
    },
    (error: unknown) => {
      console.error('[soak load]', error);
      process.exit(1);
    },
  );
});
