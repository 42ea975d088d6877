import { payloadMeta, readDeliveryHeaders } from './delivery-meta.js';
import { WebhookException, WebhookExceptionCode } from './webhook.exception.js';

const W3_DELIVERY = '7b1e0c2a-0000-4000-8000-000000000001';

describe('readDeliveryHeaders', () => {
  it.each([
    [
      'all three headers',
      { 'x-github-delivery': W3_DELIVERY, 'x-github-event': 'issues', 'x-github-hook-id': '123456' },
      { deliveryId: W3_DELIVERY, event: 'issues', hookId: 123456 },
    ],
    ['no hook id', { 'x-github-delivery': W3_DELIVERY, 'x-github-event': 'ping' }, { deliveryId: W3_DELIVERY, event: 'ping', hookId: null }],
    [
      'a malformed hook id',
      { 'x-github-delivery': W3_DELIVERY, 'x-github-event': 'ping', 'x-github-hook-id': 'abc' },
      { deliveryId: W3_DELIVERY, event: 'ping', hookId: null },
    ],
  ])('reads %s', (_label, headers, expected) => {
    expect(readDeliveryHeaders(headers)).toEqual(expected);
  });

  it.each([
    ['X-GitHub-Delivery', { 'x-github-event': 'issues' }],
    ['X-GitHub-Delivery', { 'x-github-delivery': ' ', 'x-github-event': 'issues' }],
    ['X-GitHub-Event', { 'x-github-delivery': W3_DELIVERY }],
    ['X-GitHub-Event', { 'x-github-delivery': W3_DELIVERY, 'x-github-event': 'Issues; DROP' }],
    ['X-GitHub-Delivery', { 'x-github-delivery': 'a:b', 'x-github-event': 'issues' }],
  ])('names %s when it is missing or malformed', (name, headers) => {
    expect(() => readDeliveryHeaders(headers)).toThrow(name);
    try {
      readDeliveryHeaders(headers);
    } catch (error) {
      expect((error as WebhookException).code).toBe(WebhookExceptionCode.INVALID_HEADER);
    }
  });
});

describe('payloadMeta', () => {
  it.each([
    [
      'an issues delivery',
      { action: 'opened', repository: { id: 186853002 }, installation: { id: 2 } },
      { action: 'opened', installationId: 2, repositoryId: 186853002 },
    ],
    ['a push (no action)', { ref: 'refs/heads/main', repository: { id: 1 } }, { action: null, installationId: null, repositoryId: 1 }],
    ['W1: a payload without repository', { action: 'created', comment: { body: 'x' } }, { action: 'created', installationId: null, repositoryId: null }],
    ['fields of unexpected types', { action: 5, repository: 'x', installation: { id: '7' } }, { action: null, installationId: null, repositoryId: null }],
  ])('reads %s', (_label, payload, expected) => {
    expect(payloadMeta(payload)).toEqual(expected);
  });
});
