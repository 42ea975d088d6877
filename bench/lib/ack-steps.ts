/**
 * Reads the api's `cambrian_webhook_ack_step_duration_seconds` histogram (Prometheus text from
 * `GET /metrics`) and tells where acknowledgement time went between two scrapes, per step of the
 * handler (`verify`, `store`, `enqueue`).
 */

/** One step's histogram at one scrape: cumulative bucket counts by upper bound (seconds), sum (seconds) and count. */
interface StepHistogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

export type AckStepScrape = Map<string, StepHistogram>;

const METRIC = 'cambrian_webhook_ack_step_duration_seconds';

/** Scrapes `${apiUrl}/metrics` and keeps the acknowledgement-step histogram. */
export async function scrapeAckSteps(apiUrl: string): Promise<AckStepScrape> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const steps: AckStepScrape = new Map();
  const step = (name: string) => {
    let entry = steps.get(name);
    if (!entry) steps.set(name, (entry = { buckets: new Map(), sum: 0, count: 0 }));
    return entry;
  };
  for (const line of text.split('\n')) {
    const match = /^cambrian_webhook_ack_step_duration_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
    const value = Number(match[3]);
    const entry = step(labels.step);
    if (match[1] === 'bucket') entry.buckets.set(labels.le === '+Inf' ? Infinity : Number(labels.le), value);
    else if (match[1] === 'sum') entry.sum = value;
    else entry.count = value;
  }
  if (steps.size === 0) throw new Error(`${apiUrl}/metrics holds no ${METRIC} (an api older than the metric?)`);
  return steps;
}

/**
 * Per step, between scrapes `from` and `to`: the mean (ms) and the upper bound of the bucket holding
 * the 99th percentile (ms; a histogram tells no finer), keyed `<step>_mean_ms` and `<step>_p99_le_ms`.
 */
export function ackStepFigures(from: AckStepScrape, to: AckStepScrape): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  for (const [name, end] of to) {
    const start = from.get(name) ?? { buckets: new Map<number, number>(), sum: 0, count: 0 };
    const count = end.count - start.count;
    figures[`${name}_mean_ms`] = count > 0 ? Math.round(((end.sum - start.sum) / count) * 1000 * 100) / 100 : null;
    let p99: number | null = null;
    for (const bound of [...end.buckets.keys()].sort((a, b) => a - b)) {
      if (count > 0 && end.buckets.get(bound)! - (start.buckets.get(bound) ?? 0) >= 0.99 * count) {
        p99 = Number.isFinite(bound) ? bound * 1000 : null;
        break;
      }
    }
    figures[`${name}_p99_le_ms`] = p99;
  }
  return figures;
}
