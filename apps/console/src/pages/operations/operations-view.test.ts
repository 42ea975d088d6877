// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { canRedeliver, deliveryStatusColor, DELIVERY_STATUSES, MAX_FAILED_JOBS, nextFailedJobsLimit, queueDashboardHref } from './operations-view.js';

describe('operations view rules', () => {
  it.each([
    ['RECEIVED', true],
    ['FAILED', true],
    ['PROCESSED', false],
    ['IGNORED', false],
  ] as const)('offers redeliver for a %s delivery: %s', (status, offered) => {
    expect(canRedeliver(status)).toBe(offered);
  });

  it('gives every status a colour of its own', () => {
    expect(new Set(DELIVERY_STATUSES.map(deliveryStatusColor)).size).toBe(DELIVERY_STATUSES.length);
  });

  it.each([
    [20, 20, 40],
    [20, 7, 20],
    [80, 80, 100],
    [100, 100, MAX_FAILED_JOBS],
  ])('after asking for %i failed jobs and getting %i, asks for %i', (current, received, next) => {
    expect(nextFailedJobsLimit(current, received)).toBe(next);
  });

  it.each([
    ['en', '/admin/queues/?lng=en'],
    ['zh-CN', '/admin/queues/?lng=zh-CN'],
  ])('opens the queue dashboard in the console language %s: %s', (language, href) => {
    expect(queueDashboardHref(language)).toBe(href);
  });
});
