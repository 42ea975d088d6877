import { mapFork, mapRelease, mapStargazer, starAccountId } from './map-repository-events.js';
import type { RestRelease } from './rest-shapes.js';

const REPO = 555;
const ALICE = { id: 4242, login: 'river-oak', type: 'User' };

describe('mapStargazer', () => {
  it.each<[string, Parameters<typeof mapStargazer>[0], string, number | null]>([
    ['a star with starred_at', { starred_at: '2023-05-01T00:00:00Z', user: ALICE }, 'star:555:4242', 4242],
    ['a star of a deleted account (I1): keyed under the ghost id like the webhook path', { starred_at: '2023-05-01T00:00:00Z', user: null }, 'star:555:10137', null],
    ['a star of the ghost account itself', { starred_at: '2023-05-01T00:00:00Z', user: { id: 10137, login: 'ghost' } }, 'star:555:10137', 10137],
  ])('%s', (_name, star, key, actorId) => {
    const activity = mapStargazer(star, REPO);
    expect(activity).toMatchObject({ type: 'star', sourceKey: key, source: 'api', repositoryId: REPO });
    expect(activity.occurredAt.toISOString()).toBe('2023-05-01T00:00:00.000Z');
    expect(activity.actor).toEqual({ kind: 'github', account: actorId === null ? null : expect.objectContaining({ id: actorId }) });
    expect(starAccountId(star)).toBe(Number(key.split(':')[2]));
  });
});

describe('mapFork', () => {
  it('keys a fork by the fork repository id and credits its owner at its created_at', () => {
    const activity = mapFork({ id: 1950000001, full_name: 'river-oak/RWKV-LM', owner: ALICE, created_at: '2023-06-01T00:00:00Z' }, REPO);
    expect(activity).toMatchObject({ type: 'fork', sourceKey: 'fork:1950000001', facts: { fork_id: 1950000001, full_name: 'river-oak/RWKV-LM' } });
    expect(activity.occurredAt.toISOString()).toBe('2023-06-01T00:00:00.000Z');
    expect(activity.actor).toEqual({ kind: 'github', account: expect.objectContaining({ id: 4242 }) });
  });
});

describe('mapRelease', () => {
  const release = (overrides: Partial<RestRelease>): RestRelease => ({
    id: 6001,
    tag_name: 'v1.0.0',
    name: 'v1.0.0',
    draft: false,
    created_at: '2023-08-16T14:40:44Z',
    published_at: '2023-08-16T14:40:44Z',
    author: ALICE,
    ...overrides,
  });
  it.each<[string, Partial<RestRelease>, [string, string] | null]>([
    ['a published release: at published_at', { published_at: '2023-08-17T00:00:00Z' }, ['release:6001', '2023-08-17T00:00:00.000Z']],
    ['a draft: not a fact yet', { draft: true, published_at: null }, null],
    ['an unpublished non-draft', { published_at: null }, null],
  ])('%s', (_name, overrides, expected) => {
    const activity = mapRelease(release(overrides), REPO);
    if (!expected) {
      expect(activity).toBeNull();
      return;
    }
    expect(activity).toMatchObject({ type: 'release', sourceKey: expected[0], facts: { tag_name: 'v1.0.0' } });
    expect(activity!.occurredAt.toISOString()).toBe(expected[1]);
  });
});
