/**
 * Cost of Cambrian's HTTP instrumentation: `npm run bench -- observability` (runs dist/bench/observability.js).
 *
 * One Fastify server in this process with a small JSON route (`GET /items/:id`), measured with
 * autocannon (BENCH_OBS_CONNECTIONS connections, 10; BENCH_OBS_SECONDS per run, 5) in two variants,
 * alternating, BENCH_OBS_RUNS times each (3) after one uncounted warm-up of each:
 *  - `plain`: the route alone (the baseline, measured in the same run);
 *  - `instrumented`: the same route with libs/observability's `instrumentFastify` (request id,
 *    AsyncLocalStorage context, `cambrian_http_request_duration_seconds`, one JSON `request completed`
 *    line per request written by pino to /dev/null).
 * Then BENCH_OBS_SCRAPES (50) scrapes of the populated registry (`metricsRegistry.metrics()`).
 *
 * Figures (last line on stdout, one JSON object): requests/s medians of each variant and their ratio,
 * p99 latency medians (ms), the median scrape time (ms) and the exposition size (bytes), and the
 * 1-minute load average (the machine may be shared: compare the ratio, not absolute figures).
 */
import { loadavg } from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createLogger, instrumentFastify, metricsRegistry } from '#libs/observability';
import { runAutocannon, type LoadSummary } from './lib/run-autocannon.js';
import { median } from './lib/stats.js';

const CONNECTIONS = Number(process.env.BENCH_OBS_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.BENCH_OBS_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_OBS_RUNS ?? 3);
const SCRAPES = Number(process.env.BENCH_OBS_SCRAPES ?? 50);

async function server(instrumented: boolean): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  if (instrumented) instrumentFastify(app, createLogger({ level: 'info', service: 'bench', destination: pino.destination({ dest: '/dev/null', sync: false }) }));
  app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id, name: 'RWKV-LM', stars: 12_345 }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

async function measure(instrumented: boolean): Promise<LoadSummary> {
  const { app, url } = await server(instrumented);
  try {
    return await runAutocannon({ url: `${url}/items/42`, connections: CONNECTIONS, duration: SECONDS });
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const plain: LoadSummary[] = [];
  const instrumented: LoadSummary[] = [];
  // warm-up of both variants (JIT, sockets), not counted
  await measure(false);
  await measure(true);
  for (let run = 0; run < RUNS; run++) {
    plain.push(await measure(false));
    instrumented.push(await measure(true));
    process.stderr.write(`run ${run + 1}/${RUNS}: plain ${plain[run].rps} req/s, instrumented ${instrumented[run].rps} req/s\n`);
  }
  const scrapeMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const start = process.hrtime.bigint();
    bytes = (await metricsRegistry.metrics()).length;
    scrapeMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const plainRps = median(plain.map((r) => r.rps));
  const instrumentedRps = median(instrumented.map((r) => r.rps));
  console.log(
    JSON.stringify({
      rps_plain_median: plainRps,
      rps_instrumented_median: instrumentedRps,
      rps_ratio_instrumented_to_plain: Math.round((instrumentedRps / plainRps) * 1000) / 1000,
      p99_ms_plain_median: median(plain.map((r) => r.p99)),
      p99_ms_instrumented_median: median(instrumented.map((r) => r.p99)),
      non2xx_or_errors: [...plain, ...instrumented].reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
      scrape_ms_median: Math.round(median(scrapeMs) * 100) / 100,
      scrape_bytes: bytes,
      connections: CONNECTIONS,
      seconds_per_run: SECONDS,
      runs_per_variant: RUNS,
      loadavg_1m: Math.round(loadavg()[0] * 100) / 100,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
