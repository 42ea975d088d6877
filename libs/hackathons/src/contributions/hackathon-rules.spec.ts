import { isClosed } from './hackathon-rules.js';

describe('isClosed', () => {
  const now = new Date('2026-03-10T00:00:00Z');
  const past = new Date('2026-03-03T00:00:00Z');
  const future = new Date('2026-04-01T00:00:00Z');
  it.each([
    // an event that never started (a draft, or still taking registrations) is not closed by its end instant:
    // its window may still be corrected, which a freeze would forbid
    ['draft', past, false],
    ['registration_open', past, false],
    ['running', past, true],
    ['running', now, true],
    ['running', future, false],
    ['judging', future, true],
    ['finished', future, true],
    ['draft', future, false],
  ] as const)('%s ending %s: %s', (status, endsAt, closed) => {
    expect(isClosed({ status, endsAt }, now)).toBe(closed);
  });
});
