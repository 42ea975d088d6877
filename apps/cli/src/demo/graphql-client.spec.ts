import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphqlRequest } from './graphql-client.js';

describe('graphqlRequest (real HTTP)', () => {
  let server: Server;
  let url: string;
  let refusals = 0;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      if (refusals > 0) {
        refusals -= 1;
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        response.end(JSON.stringify({ errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { ok: true } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('waits out a 429 as Retry-After says and sends the request again', async () => {
    refusals = 1;
    requests = 0;
    await expect(graphqlRequest(url, '{ ok }')).resolves.toEqual({ ok: true });
    expect(requests).toBe(2);
  });

  it('gives up with the server’s message after three retries', async () => {
    refusals = 10;
    requests = 0;
    await expect(graphqlRequest(url, '{ ok }')).rejects.toThrow('Too many requests (RATE_LIMITED)');
    expect(requests).toBe(4);
    refusals = 0;
  }, 20_000);
});
