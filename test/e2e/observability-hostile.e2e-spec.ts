import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** Collects JSON log lines written by pino. */
class LogCapture extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text.push(chunk.toString('utf8'));
    callback();
  }
}

/** The label sets of one metric's samples in a Prometheus text exposition. */
function labelSets(metrics: string, name: string): Array<Record<string, string>> {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => Object.fromEntries([...(/\{(.*)\}/.exec(line)?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])));
}

/** GET /health/live over a raw socket with one header sent byte for byte (clients refuse control characters). */
function getWithRawHeader(url: string, name: string, value: string): Promise<{ status: number; requestId: string | undefined }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const requestId = /\r\nx-request-id: ([^\r]*)\r\n/i.exec(text)?.[1];
      resolve({ status, requestId });
    });
    socket.write(Buffer.from(`GET /health/live HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${name}: ${value}\r\n\r\n`, 'latin1'));
  });
}

describe('observability under hostile input', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  const log = new LogCapture();

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ LOG_LEVEL: 'debug' });
    app = await createApiApp({ logDestination: log });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('labels requests to unknown paths with one route value, whatever the path', async () => {
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${url}/no-such-path/${i}-${'x'.repeat(i)}?q=${i}`, { method: i % 2 ? 'GET' : 'POST' });
      expect(response.status).toBe(404);
    }
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const routes = new Set(labelSets(metrics, 'cambrian_http_request_duration_seconds_count').map((labels) => labels.route));
    expect([...routes].filter((route) => route.includes('no-such-path'))).toEqual([]);
    expect(routes.size).toBeLessThan(10);
    expect(log.text.join('')).not.toContain('no-such-path/3');
  });

  it('bounds the operation label of GraphQL timings however many operation names clients invent', async () => {
    for (let i = 0; i < 260; i++) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `query Invented${i} { __typename }` }),
      });
      expect(response.status).toBe(200);
    }
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const operations = new Set(labelSets(metrics, 'cambrian_graphql_operation_duration_seconds_count').map((labels) => labels.operation));
    expect(operations.size).toBeLessThanOrEqual(201);
    expect(operations.has('other')).toBe(true);
    expect(operations.has('Invented0')).toBe(true);
  });

  it('replaces a 10k-character or control-character x-request-id and never logs it', async () => {
    const long = 'L'.repeat(10_000);
    for (const value of [long, 'tab\there', 'latin\u00e9\u00ff', 'abc\u0001def\u001b[31mred']) {
      const answer = await getWithRawHeader(url, 'x-request-id', value);
      // Node's parser refuses control characters other than tab outright (400); the rest get a fresh id
      if (answer.status !== 400) {
        expect(answer.status).toBe(200);
        expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const output = log.text.join('');
    expect(output).not.toContain('L'.repeat(200));
    expect(output).not.toContain('\u001b[31m');
    expect(output).not.toContain('abc\\u0001def');
  });
});
