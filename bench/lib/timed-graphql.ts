import http from 'node:http';

/** One GraphQL request's latency as the client saw it, and the api's own account of it (`Server-Timing`). */
export interface TimedAnswer {
  /** Milliseconds from sending the request until the whole answer was read. */
  latencyMs: number;
  /** The time at least one of the request's database statements was running in the api (`db;dur`), milliseconds. */
  dbMs: number;
  /** The request's time in the api, from its arrival until its answer was ready to be written (`total;dur`), milliseconds. */
  totalMs: number;
  /** How many statements the api ran for it (`db;desc`). */
  statements: number;
}

const SERVER_TIMING = /^db;desc="(\d+) statements?";dur=([\d.]+), total;dur=([\d.]+)$/;

/**
 * A lean GraphQL client for timing one request at a time or a closed-loop load: node:http over
 * keep-alive sockets (`fetch` costs the client ~0.2–1.5 ms more a request on these machines, which is
 * the client's, not GraphQL's). The api must run with `SERVER_TIMING=on`; an answer without the
 * header, with GraphQL errors or a status other than 200 fails the run.
 */
export class TimedGraphqlClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(url: string, connections = 1) {
    this.url = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  /** Sends `query` and times it. */
  request(query: string): Promise<TimedAnswer> {
    const body = JSON.stringify({ query });
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const request = http.request(
        this.url,
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const latencyMs = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200 || text.includes('"errors"')) return reject(new Error(`GraphQL answered ${response.statusCode}: ${text.slice(0, 300)}`));
            const timing = SERVER_TIMING.exec(String(response.headers['server-timing'] ?? ''));
            if (!timing) return reject(new Error(`no Server-Timing in the answer (is SERVER_TIMING=on?): ${String(response.headers['server-timing'])}`));
            resolve({ latencyMs, statements: Number(timing[1]), dbMs: Number(timing[2]), totalMs: Number(timing[3]) });
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** `connections` loops, each sending `query` again as soon as its answer is read, for `seconds`. */
  async load(query: string, connections: number, seconds: number): Promise<TimedAnswer[]> {
    const answers: TimedAnswer[] = [];
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) answers.push(await this.request(query));
      }),
    );
    return answers;
  }

  close(): void {
    this.agent.destroy();
  }
}
