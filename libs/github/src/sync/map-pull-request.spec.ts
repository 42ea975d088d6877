import { mapPullRequest } from './map-pull-request.js';
import type { RestPullRequest } from './rest-shapes.js';

const REPO = 555;

/** A "List pull requests" item (pull-request-simple), fields the sync reads only. */
function restPull(overrides: Partial<RestPullRequest>): RestPullRequest {
  return {
    id: 9001,
    number: 350,
    title: 'fix star history chart',
    state: 'closed',
    user: { id: 212877535, login: 'OctoBored', type: 'User' },
    created_at: '2026-08-13T09:11:21Z',
    updated_at: '2026-08-14T13:09:24Z',
    closed_at: '2026-08-14T13:09:24Z',
    merged_at: '2026-08-14T13:09:24Z',
    merge_commit_sha: 'ec56ea2b172c065a793d25723bc03e2af1f018dd',
    head: { sha: '65b0aa3e040182237dc3a71e0df5b57f19b18385', ref: 'fix/star-history-chart' },
    base: { ref: 'main' },
    ...overrides,
  };
}

describe('mapPullRequest', () => {
  it.each<[string, Partial<RestPullRequest>, Array<[string, string, string, number | null]>]>([
    [
      'a merged pull request: opened at created_at and merged at merged_at, both by the author (BlinkDL/RWKV-LM #350)',
      {},
      [
        ['pull_request_opened', 'pull_request:555:350:opened', '2026-08-13T09:11:21.000Z', 212877535],
        ['pull_request_merged', 'pull_request:555:350:merged', '2026-08-14T13:09:24.000Z', 212877535],
      ],
    ],
    [
      'a pull request closed without merge: closed at closed_at, keyed with that instant',
      { merged_at: null, merge_commit_sha: null, closed_at: '2022-10-08T08:17:00Z' },
      [
        ['pull_request_opened', 'pull_request:555:350:opened', '2026-08-13T09:11:21.000Z', 212877535],
        ['pull_request_closed', 'pull_request:555:350:closed:2022-10-08T08:17:00Z', '2022-10-08T08:17:00.000Z', 212877535],
      ],
    ],
    [
      'an open pull request: opened only',
      { state: 'open', merged_at: null, closed_at: null },
      [['pull_request_opened', 'pull_request:555:350:opened', '2026-08-13T09:11:21.000Z', 212877535]],
    ],
    [
      'I1: a deleted author (user: null) is credited to the deleted-account sentinel',
      { user: null, state: 'open', merged_at: null, closed_at: null },
      [['pull_request_opened', 'pull_request:555:350:opened', '2026-08-13T09:11:21.000Z', null]],
    ],
  ])('%s', (_label, overrides, expected) => {
    const { activities } = mapPullRequest(restPull(overrides), REPO);
    expect(
      activities.map((activity) => [activity.type, activity.sourceKey, activity.occurredAt.toISOString(), activity.actor.account?.id ?? null]),
    ).toEqual(expected);
    for (const activity of activities) expect(activity.actor.kind).toBe('github');
  });

  it('keeps merged_by in the facts and the row when the object has it (Get a pull request, webhooks)', () => {
    const { row, activities } = mapPullRequest(restPull({ merged_by: { id: 33809201, login: 'BlinkDL' } }), REPO);
    expect(row.mergedByAccountId).toBe(33809201);
    expect(activities[1].facts).toMatchObject({ merged_by: { id: 33809201, login: 'BlinkDL' }, number: 350 });
  });

  it('leaves merged_by out of the facts when the object lacks the key (the list endpoint)', () => {
    const { activities } = mapPullRequest(restPull({}), REPO);
    expect(activities[1].type).toBe('pull_request_merged');
    expect(activities[1].facts).not.toHaveProperty('merged_by');
  });

  it('maps the row', () => {
    expect(mapPullRequest(restPull({}), REPO).row).toEqual({
      id: 9001,
      repositoryId: REPO,
      number: 350,
      title: 'fix star history chart',
      state: 'closed',
      authorAccountId: 212877535,
      merged: true,
      mergedAt: new Date('2026-08-14T13:09:24Z'),
      mergedByAccountId: null,
      headSha: '65b0aa3e040182237dc3a71e0df5b57f19b18385',
      headRef: 'fix/star-history-chart',
      baseRef: 'main',
      createdAt: new Date('2026-08-13T09:11:21Z'),
      updatedAt: new Date('2026-08-14T13:09:24Z'),
      closedAt: new Date('2026-08-14T13:09:24Z'),
      labels: null,
    });
  });

  it.each<[string, unknown, string[] | null]>([
    ['no labels key: unknown', undefined, null],
    ['no labels', [], []],
    ['label names in GitHub order, blanks and repeats dropped', [{ name: 'Hacktoberfest-Spam' }, { name: ' ' }, { name: 'bug' }, { name: 'bug' }], ['Hacktoberfest-Spam', 'bug']],
  ])('labels: %s', (_label, labels, expected) => {
    const pull = restPull(labels === undefined ? {} : { labels: labels as RestPullRequest['labels'] });
    expect(mapPullRequest(pull, REPO).row.labels).toEqual(expected);
  });
});

describe('mapPullRequest refuses an item without the fields it relies on', () => {
  const without = (field: keyof RestPullRequest) => {
    const pull = restPull({}) as unknown as Record<string, unknown>;
    delete pull[field];
    return pull as unknown as RestPullRequest;
  };

  it.each<[string, RestPullRequest, RegExp]>([
    ['merged_at missing (it would read as not merged)', without('merged_at'), /pull request #350 without merged_at/],
    ['closed_at missing', without('closed_at'), /without closed_at/],
    ['created_at missing', without('created_at'), /without an instant in created_at/],
    ['updated_at not an instant', restPull({ updated_at: 'yesterday' }), /without an instant in updated_at/],
    ['merged_at not an instant', restPull({ merged_at: 'soon' }), /with merged_at "soon"/],
    ['an unknown state', restPull({ state: 'draft' as never }), /with state "draft"/],
    ['no number', restPull({ number: undefined as never }), /\(no number\) without a numeric id and number/],
  ])('%s', (_name, pull, message) => {
    expect(() => mapPullRequest(pull, REPO)).toThrow(message);
  });

  it('accepts null merged_at and closed_at (an open pull request) and user: null (a deleted account)', () => {
    expect(mapPullRequest(restPull({ state: 'open', merged_at: null, closed_at: null, user: null }), REPO).row).toMatchObject({
      merged: false,
      authorAccountId: null,
    });
  });
});
