import { createGithubClient } from '#libs/github';
import { githubRateLimitRemaining, githubRequests, metricsRegistry, recordGithubResponse } from './metrics.js';
import { operationLabel } from './graphql-metrics.plugin.js';
import { countWebhookAnswer } from './http-instrumentation.js';
import { requestIdFrom } from './request-context.js';

async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = metricsRegistry.getSingleMetric(name);
  const values = (await metric?.get())?.values ?? [];
  return values.find((entry) => Object.entries(labels).every(([key, v]) => String(entry.labels[key]) === v))?.value;
}

describe('GitHub metrics', () => {
  beforeEach(() => {
    githubRequests.reset();
    githubRateLimitRemaining.reset();
  });

  it('counts answers by status and keeps the latest remaining budget per resource', async () => {
    recordGithubResponse(200, new Headers({ 'x-ratelimit-remaining': '4999', 'x-ratelimit-limit': '5000', 'x-ratelimit-resource': 'core' }));
    recordGithubResponse(304, new Headers({ 'x-ratelimit-remaining': '4998', 'x-ratelimit-limit': '5000' }));
    recordGithubResponse(200, new Headers({ 'x-ratelimit-remaining': '29', 'x-ratelimit-resource': 'search' }));
    recordGithubResponse('error');
    expect(await value('cambrian_github_requests_total', { status: '200' })).toBe(2);
    expect(await value('cambrian_github_requests_total', { status: '304' })).toBe(1);
    expect(await value('cambrian_github_requests_total', { status: 'error' })).toBe(1);
    expect(await value('cambrian_github_rate_limit_remaining', { resource: 'core' })).toBe(4998);
    expect(await value('cambrian_github_rate_limit_remaining', { resource: 'search' })).toBe(29);
  });

  it('is fed by the GitHub client for every answer, retries included', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls += 1;
      if (calls === 1) return new Response('{"message":"boom"}', { status: 502, headers: { 'content-type': 'application/json' } });
      return new Response('{"id":1}', { status: 200, headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '4321', 'x-ratelimit-limit': '5000' } });
    }) as typeof globalThis.fetch;
    const client = createGithubClient({ baseUrl: 'http://github.test', token: 't', maxConcurrency: 2, fetch, retryAfterBaseValue: 1, onResponse: recordGithubResponse });
    await client.request('GET /repos/{owner}/{repo}', { owner: 'rwkv', repo: 'rwkv-lm' });
    expect(await value('cambrian_github_requests_total', { status: '502' })).toBe(1);
    expect(await value('cambrian_github_requests_total', { status: '200' })).toBe(1);
    expect(await value('cambrian_github_rate_limit_remaining', { resource: 'core' })).toBe(4321);
  });
});

describe('webhook delivery counts', () => {
  it('counts every answer as received, 2xx as verified and 4xx as rejected', async () => {
    const before = async (outcome: string) => (await value('cambrian_webhook_deliveries_total', { outcome })) ?? 0;
    const [received, verified, rejected] = [await before('received'), await before('verified'), await before('rejected')];
    for (const status of [202, 200, 401, 415, 503]) countWebhookAnswer(status);
    expect((await before('received')) - received).toBe(5);
    expect((await before('verified')) - verified).toBe(2);
    expect((await before('rejected')) - rejected).toBe(2);
  });
});

describe('label and id hygiene', () => {
  it('bounds GraphQL operation names used as labels', () => {
    expect(operationLabel('MemberProfile')).toBe('MemberProfile');
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('x'.repeat(65))).toBe('other');
    expect(operationLabel('a-b')).toBe('other');
  });

  it('keeps a usable x-request-id and replaces others with a UUID', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    for (const bad of [undefined, '', 'with space', 'x'.repeat(129), 'é']) expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
