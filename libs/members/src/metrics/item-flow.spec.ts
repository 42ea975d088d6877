import { flowPosition, type DecisiveReview, type FlowFacts } from './item-flow.js';

const t = (hour: number) => new Date(Date.UTC(2025, 0, 1, hour));
const review = (reviewer: string, state: string, hour: number): DecisiveReview => ({ reviewer, state, at: t(hour) });
const pr = (firstResponse: number | null, reviews: DecisiveReview[] = []): FlowFacts => ({
  kind: 'PULL_REQUEST',
  createdAt: t(0),
  firstResponseAt: firstResponse === null ? null : t(firstResponse),
  reviews,
});

describe('flowPosition', () => {
  it.each<[string, FlowFacts, string, number]>([
    ['an unanswered issue waits since it was opened', { kind: 'ISSUE', createdAt: t(0), firstResponseAt: null, reviews: [] }, 'NO_RESPONSE', 0],
    ['an answered issue has responded since the first answer', { kind: 'ISSUE', createdAt: t(0), firstResponseAt: t(5), reviews: [] }, 'RESPONDED', 5],
    ['an unanswered pull request', pr(null), 'NO_RESPONSE', 0],
    ['a commented pull request waits for review', pr(3), 'WAITING_FOR_REVIEW', 3],
    ['an approved pull request waits for its merge since the first approval', pr(2, [review('a', 'APPROVED', 2), review('b', 'APPROVED', 6)]), 'APPROVED', 2],
    ['a change request outweighs an approval', pr(2, [review('a', 'APPROVED', 2), review('b', 'CHANGES_REQUESTED', 4)]), 'CHANGES_REQUESTED', 4],
    ['a reviewer who approves after requesting changes unblocks it', pr(2, [review('a', 'CHANGES_REQUESTED', 2), review('a', 'APPROVED', 7)]), 'APPROVED', 7],
    ['a dismissed change request no longer stands', pr(1, [review('a', 'CHANGES_REQUESTED', 2), review('a', 'DISMISSED', 3)]), 'WAITING_FOR_REVIEW', 1],
    ['reviews given out of order are sorted by time', pr(1, [review('a', 'APPROVED', 9), review('a', 'CHANGES_REQUESTED', 2)]), 'APPROVED', 9],
    ['the latest of several change requests', pr(1, [review('a', 'CHANGES_REQUESTED', 2), review('b', 'CHANGES_REQUESTED', 8)]), 'CHANGES_REQUESTED', 8],
  ])('%s', (_label, facts, step, hour) => {
    expect(flowPosition(facts)).toEqual({ step, since: t(hour) });
  });
});
