import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * A TCP relay in front of Postgres that can black-hole it: connections stay open but nothing
 * passes (a partitioned network or a stopped VM, the outage that hangs clients), or pass again.
 */
class PostgresRelay {
  private readonly sockets = new Set<Socket>();
  private blackHole = false;
  readonly server: Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (this.blackHole) return; // accepted, never answered
      const upstream = connect(target.port, target.host);
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('data', (chunk) => {
        if (!this.blackHole) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!this.blackHole) client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops relaying: open connections and new ones hang. */
  down(): void {
    this.blackHole = true;
  }

  /** Relays again; connections opened while down are dropped (clients reconnect). */
  up(): void {
    this.blackHole = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('observability: /health and /metrics while Postgres does not answer', () => {
  let env: TestEnv;
  let relay: PostgresRelay;
  let app: NestFastifyApplication;
  let url: string;

  /** GET that gives up after 10 s (a hung probe is the failure this file looks for). */
  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    const target = new URL(env.database.url);
    relay = new PostgresRelay({ host: target.hostname, port: Number(target.port || 5432) });
    const port = await relay.listen();
    target.hostname = '127.0.0.1';
    target.port = String(port);
    env.apply({ DATABASE_URL: target.toString() });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    relay?.up();
    await app?.close();
    await relay?.close();
    await env?.teardown();
  });

  it('answers readiness 503 naming postgres and migrations, liveness and /metrics 200, then recovers', async () => {
    expect((await get('/health/ready')).status).toBe(200);
    relay.down();

    const [ready, live, metrics] = await Promise.all([get('/health/ready'), get('/health/live'), get('/metrics')]);
    expect(ready.status).toBe(503);
    const body = JSON.parse(ready.text) as { error: Record<string, { status: string }>; info: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['migrations', 'postgres']);
    expect(body.info).toMatchObject({ redis: { status: 'up' } });
    expect(live.status).toBe(200);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^cambrian_http_request_duration_seconds_count\{/m);
    // probes keep answering while it stays down (no pile-up of hung checks)
    for (let i = 0; i < 3; i++) expect((await get('/health/ready')).status).toBe(503);

    relay.up();
    await until(async () => (await get('/health/ready')).status === 200, 'readiness once Postgres is back');
  });
});
