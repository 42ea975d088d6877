import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from './metrics.js';

/** A health probe's answer: status code and JSON body (terminus' shape). */
export interface HealthProbeAnswer {
  statusCode: number;
  body: unknown;
}

/** Health probes a metrics server answers besides `/metrics`. */
export interface HealthProbes {
  /** `GET /health/live`. */
  live: () => Promise<HealthProbeAnswer>;
  /** `GET /health/ready`. */
  ready: () => Promise<HealthProbeAnswer>;
}

/**
 * Serves `GET /metrics` (Prometheus text format, {@link metricsRegistry}) on its own port, for
 * processes without an HTTP server (apps/worker, `METRICS_PORT`), and with `probes` also
 * `GET /health/live` and `GET /health/ready` (JSON; a probe that throws answers 503). Other paths
 * answer 404.
 * @returns the server and the port it listens on (useful with port 0).
 */
export async function startMetricsServer(port: number, host: string, probes?: HealthProbes): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    const probe = request.method === 'GET' && probes ? (path === '/health/live' ? probes.live : path === '/health/ready' ? probes.ready : undefined) : undefined;
    if (probe) {
      probe().then(
        ({ statusCode, body }) => response.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
        (error: Error) => response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', message: error.message })),
      );
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metricsRegistry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
