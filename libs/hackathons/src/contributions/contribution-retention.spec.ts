import { stillContributingWindow } from './contribution-retention.service.js';

describe('stillContributingWindow', () => {
  const end = new Date('2025-11-01T00:00:00Z');
  it.each<[number, string, string, string, boolean]>([
    [30, '2026-06-01T00:00:00Z', '2025-11-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z', true],
    [90, '2026-06-01T00:00:00Z', '2025-12-31T00:00:00.000Z', '2026-01-30T00:00:00.000Z', true],
    [30, '2025-12-01T00:00:00Z', '2025-11-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z', true],
    [30, '2025-11-30T23:59:59Z', '2025-11-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z', false],
  ])('%d days, now %s → (%s, %s], known %s', (days, now, from, at, known) => {
    const window = stillContributingWindow(end, days, new Date(now));
    expect({ from: window.from.toISOString(), at: window.at.toISOString(), known: window.known }).toEqual({ from, at, known });
  });
});
