import autocannon from 'autocannon';

/** The numbers a benchmark reports from one autocannon run. */
export interface LoadSummary {
  /** Mean requests per second over the run. */
  rps: number;
  /** Latency percentiles as autocannon reports them, in milliseconds. */
  p50: number;
  p99: number;
  /**
   * Percentiles of the measured response times themselves (ms). They differ from `p50`/`p99` in
   * rate-limited runs, where autocannon adds coordinated-omission samples (with an expected
   * interval of `ceil(1 / rate)` = 1 ms: a response of d ms adds about d samples from 1 to d ms).
   */
  rawP99: number;
  rawP50: number;
  /** Responses by class, and connection errors / timeouts. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Wall-clock seconds the run took. */
  seconds: number;
}

/** Runs autocannon with `options` and summarises the result. */
export async function runAutocannon(options: autocannon.Options): Promise<LoadSummary> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const percentile = (p: number) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] * 10) / 10 : 0);
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    rawP50: percentile(50),
    rawP99: percentile(99),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  };
}
