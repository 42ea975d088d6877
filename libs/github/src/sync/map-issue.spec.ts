import { isNewcomerLabel, isPullRequestItem, labelNames, mapIssue, mapLabel } from './map-issue.js';
import type { RestIssue } from './rest-shapes.js';

const REPO = 555;

/** A "List repository issues" item, fields the sync reads only. */
function restIssue(overrides: Partial<RestIssue>): RestIssue {
  return {
    id: 4001,
    number: 97,
    title: 'Build fails on Windows',
    state: 'open',
    user: { id: 33809201, login: 'BlinkDL', type: 'User' },
    labels: [{ id: 1, name: 'good first issue' }],
    created_at: '2024-03-01T10:00:00Z',
    updated_at: '2024-03-02T10:00:00Z',
    closed_at: null,
    html_url: 'https://github.com/o/r/issues/97',
    ...overrides,
  };
}

describe('isPullRequestItem', () => {
  it.each<[string, Partial<RestIssue>, boolean]>([
    ['an issue (no pull_request key)', {}, false],
    ['a pull request seen through /issues (pull_request key)', { pull_request: { url: 'https://api.github.com/repos/o/r/pulls/96' } }, true],
    ['a pull request whose pull_request object is empty', { pull_request: {} }, true],
    ['an explicit null pull_request', { pull_request: null }, false],
  ])('%s → %s', (_name, overrides, expected) => {
    expect(isPullRequestItem(restIssue(overrides))).toBe(expected);
  });
});

describe('mapIssue', () => {
  it.each<[string, Partial<RestIssue>, Array<[string, string, string, number | null]>]>([
    ['an open issue: opened at created_at by the author', {}, [['issue_opened', 'issue:555:97:opened', '2024-03-01T10:00:00.000Z', 33809201]]],
    [
      'a closed issue without closed_by: closed at closed_at, keyed with it, credited to the author',
      { state: 'closed', closed_at: '2024-03-04T08:00:00Z' },
      [
        ['issue_opened', 'issue:555:97:opened', '2024-03-01T10:00:00.000Z', 33809201],
        ['issue_closed', 'issue:555:97:closed:2024-03-04T08:00:00Z', '2024-03-04T08:00:00.000Z', 33809201],
      ],
    ],
    [
      'a closed issue with closed_by: credited to the closer',
      { state: 'closed', closed_at: '2024-03-04T08:00:00Z', closed_by: { id: 77, login: 'closer' } },
      [
        ['issue_opened', 'issue:555:97:opened', '2024-03-01T10:00:00.000Z', 33809201],
        ['issue_closed', 'issue:555:97:closed:2024-03-04T08:00:00Z', '2024-03-04T08:00:00.000Z', 77],
      ],
    ],
    ['a deleted author (user: null, I1): the actor is null (deleted sentinel)', { user: null }, [['issue_opened', 'issue:555:97:opened', '2024-03-01T10:00:00.000Z', null]]],
  ])('%s', (_name, overrides, expected) => {
    const mapping = mapIssue(restIssue(overrides), REPO)!;
    expect(
      mapping.activities.map((a) => [a.type, a.sourceKey, a.occurredAt.toISOString(), a.actor.kind === 'github' ? (a.actor.account?.id ?? null) : -1]),
    ).toEqual(expected);
    expect(mapping.activities.every((a) => a.source === 'api' && a.repositoryId === REPO)).toBe(true);
  });

  it('returns null for a pull request (S3: never stored as an issue)', () => {
    expect(mapIssue(restIssue({ pull_request: { url: 'x' } }), REPO)).toBeNull();
  });

  it('maps the row: labels by name, a deleted author as a null account', () => {
    expect(mapIssue(restIssue({ user: null, labels: [{ name: 'bug' }, 'help wanted', { name: 'bug' }] }), REPO)!.row).toEqual({
      id: 4001,
      repositoryId: REPO,
      number: 97,
      title: 'Build fails on Windows',
      state: 'open',
      authorAccountId: null,
      labels: ['bug', 'help wanted'],
      createdAt: new Date('2024-03-01T10:00:00Z'),
      updatedAt: new Date('2024-03-02T10:00:00Z'),
      closedAt: null,
    });
  });
});

describe('isNewcomerLabel', () => {
  it.each<[string, boolean]>([
    ['good first issue', true],
    ['Good First Issue', true],
    ['good-first-issue', true],
    ['help wanted', true],
    ['Help-Wanted', true],
    ['first-timers-only', true],
    ['bug', false],
    ['good first', false],
    ['', false],
  ])('%j → %s', (name, expected) => {
    expect(isNewcomerLabel(name)).toBe(expected);
  });
});

describe('labelNames and mapLabel', () => {
  it.each<[string, RestIssue['labels'], string[]]>([
    ['objects', [{ name: 'a' }, { name: 'b' }], ['a', 'b']],
    ['bare names and blanks', ['a', ' ', { name: 'a' }], ['a']],
    ['missing', undefined, []],
  ])('%s', (_name, labels, expected) => {
    expect(labelNames(labels)).toEqual(expected);
  });

  it('maps a label with GitHub defaults for missing fields', () => {
    expect(mapLabel({ name: 'bug' }, REPO)).toEqual({ repositoryId: REPO, name: 'bug', githubId: null, color: '', description: null, isDefault: false });
    expect(mapLabel({ id: 9, name: 'bug', color: 'd73a4a', description: "Something isn't working", default: true }, REPO)).toEqual({
      repositoryId: REPO,
      name: 'bug',
      githubId: 9,
      color: 'd73a4a',
      description: "Something isn't working",
      isDefault: true,
    });
  });
});
