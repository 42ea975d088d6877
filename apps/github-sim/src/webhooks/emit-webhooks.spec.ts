import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emitWebhooks } from './emit-webhooks.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function verify(secret: string, body: Buffer, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('emitWebhooks', () => {
  let server: Server;
  let url: string;
  const received: Received[] = [];
  const statuses = [202, 500];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.statusCode = statuses[(received.length - 1) % statuses.length];
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts signed deliveries in order and returns the receiver statuses', async () => {
    const secret = 'It’s a Secret to Everybody';
    const results = await emitWebhooks({
      targetUrl: url,
      secret,
      hookId: 42,
      deliveries: [
        { event: 'star', payload: { action: 'created', repository: { id: 7 }, note: 'ünïcödé ✓' } },
        { event: 'ping', payload: { zen: 'Keep it logically awesome.' }, deliveryId: 'fixed-id' },
      ],
    });
    expect(results.map((r) => [r.event, r.status])).toEqual([
      ['star', 202],
      ['ping', 500],
    ]);
    expect(results[0].deliveryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(results[1].deliveryId).toBe('fixed-id');

    const [first, second] = received;
    expect(verify(secret, first.body, first.headers['x-hub-signature-256'] as string)).toBe(true);
    expect(verify(secret, second.body, second.headers['x-hub-signature-256'] as string)).toBe(true);
    expect(verify('wrong secret', first.body, first.headers['x-hub-signature-256'] as string)).toBe(false);
    expect(JSON.parse(first.body.toString('utf8'))).toMatchObject({ note: 'ünïcödé ✓' });
    expect(first.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/sim',
      'x-github-event': 'star',
      'x-github-delivery': results[0].deliveryId,
      'x-github-hook-id': '42',
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': '7',
    });
  });

  it('reports status 0 with the error when the receiver cannot be reached', async () => {
    const results = await emitWebhooks({ targetUrl: 'http://127.0.0.1:1/nothing', secret: 's', deliveries: [{ event: 'ping', payload: {} }] });
    expect(results).toEqual([expect.objectContaining({ event: 'ping', status: 0, error: expect.any(String) })]);
  });
});
