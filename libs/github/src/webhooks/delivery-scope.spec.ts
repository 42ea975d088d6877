import { processedPlan } from './normalize/delivery-plan.js';
import { normalizeDelivery } from './normalize/normalize-delivery.js';
import { planRepositoryIds } from './delivery-scope.js';

const repository = { id: 5001, name: 'r', full_name: 'o/r', owner: { login: 'o', id: 1 } };
const context = { receivedAt: new Date('2026-01-01T00:00:00Z') };

describe('planRepositoryIds', () => {
  it('names the repository of every row and activity a plan writes, each once', () => {
    const push = normalizeDelivery(
      'push',
      {
        repository,
        commits: [{ id: 'a'.repeat(40), distinct: true, message: 'm', timestamp: '2026-01-01T00:00:00Z', author: { name: 'A', email: 'a@x.example' } }],
      },
      context,
    );
    expect(push.commits).toHaveLength(1);
    expect(planRepositoryIds(push)).toEqual([5001]);
    const mixed = processedPlan(null);
    mixed.activities.push({ ...push.activities[0], repositoryId: 6001 });
    mixed.commits.push({ ...push.commits[0], repositoryId: 7001 });
    expect(planRepositoryIds(mixed)).toEqual([7001, 6001]);
  });

  it('is empty for deliveries that write nothing about a repository (ping, unused events)', () => {
    expect(planRepositoryIds(normalizeDelivery('ping', { zen: 'z' }, context))).toEqual([]);
    expect(planRepositoryIds(normalizeDelivery('check_run', { repository }, context))).toEqual([]);
  });
});
