import { mapEventsApiEvent } from './map-events-api-event.js';
import { eventRepository, mapGharchiveEvent } from './map-gharchive-event.js';
import { detectFormat } from './gharchive-event.js';

const repo = { id: 4242, name: 'acme/model', url: 'https://api.github.com/repos/acme/model' };
const actor = { id: 77, login: 'dev-one', display_login: 'dev-one', gravatar_id: '', url: 'https://api.github.com/users/dev-one' };
const event = (type: string, payload: Record<string, unknown>) => ({ id: '1', type, actor, repo, payload, public: true, created_at: '2022-04-06T17:16:40Z' });
const sha = (n: number) => String(n).repeat(40).slice(0, 40);

describe('mapEventsApiEvent (GH Archive 2015+ format)', () => {
  it.each([
    ['PushEvent: each distinct commit, dated by the event, by its git author', event('PushEvent', {
      commits: [
        { sha: sha(1), author: { email: 'abc@example.org', name: 'Dev One' }, message: 'Fix', distinct: true },
        { sha: sha(2), author: { email: 'abc@example.org', name: 'Dev One' }, message: 'Old', distinct: false },
      ],
    }), [{ type: 'commit', sourceKey: `commit:${sha(1)}`, occurredAt: '2022-04-06T17:16:40.000Z' }]],
    ['PullRequestEvent opened: by the author, keyed by repository and number', event('PullRequestEvent', {
      action: 'opened', number: 5, pull_request: { id: 900, number: 5, user: actor, created_at: '2022-04-06T17:00:00Z', updated_at: '2022-04-06T17:00:00Z', state: 'open' },
    }), [{ type: 'pull_request_opened', sourceKey: 'pull_request:4242:5:opened', occurredAt: '2022-04-06T17:00:00.000Z' }]],
    ['PullRequestReviewEvent created: a submitted review', event('PullRequestReviewEvent', {
      action: 'created', review: { id: 31, user: actor, submitted_at: '2022-04-06T17:10:00Z', state: 'approved' },
      pull_request: { id: 900, number: 5, created_at: '2022-04-06T17:00:00Z' },
    }), [{ type: 'review', sourceKey: 'review:31', occurredAt: '2022-04-06T17:10:00.000Z' }]],
    ['WatchEvent started: a star keyed by repository and account, at the event time', event('WatchEvent', { action: 'started' }),
      [{ type: 'star', sourceKey: 'star:4242:77', occurredAt: '2022-04-06T17:16:40.000Z' }]],
    ['IssueCommentEvent created: keyed by the comment id', event('IssueCommentEvent', {
      action: 'created', issue: { id: 8, number: 3, created_at: '2022-04-01T00:00:00Z' }, comment: { id: 55, user: actor, created_at: '2022-04-06T17:01:00Z' },
    }), [{ type: 'issue_comment', sourceKey: 'issue_comment:55', occurredAt: '2022-04-06T17:01:00.000Z' }]],
    ['ForkEvent: keyed by the new repository', event('ForkEvent', { forkee: { id: 991, full_name: 'dev-one/model', created_at: '2022-04-06T17:16:39Z' } }),
      [{ type: 'fork', sourceKey: 'fork:991', occurredAt: '2022-04-06T17:16:39.000Z' }]],
    ['CreateEvent: nothing', event('CreateEvent', { ref: 'main', ref_type: 'branch' }), []],
    ['DeleteEvent: nothing', event('DeleteEvent', { ref: 'main', ref_type: 'branch' }), []],
  ])('%s', (_name, input, expected) => {
    const drafts = mapEventsApiEvent(input, 4242);
    expect(drafts.map((d) => ({ type: d.type, sourceKey: d.sourceKey, occurredAt: d.occurredAt.toISOString() }))).toEqual(expected);
    for (const draft of drafts) expect(draft.source).toBe('gharchive');
  });

  it('keeps the labels a PullRequestEvent carries in the activity facts (GH Archive writes no pull request row)', () => {
    const [opened] = mapEventsApiEvent(
      event('PullRequestEvent', {
        action: 'opened',
        number: 7,
        pull_request: { id: 901, number: 7, user: actor, created_at: '2022-04-06T17:00:00Z', state: 'open', labels: [{ name: 'hacktoberfest-accepted' }] },
      }),
      4242,
    );
    expect(opened.facts).toMatchObject({ number: 7, labels: ['hacktoberfest-accepted'] });
  });

  it('credits GitHub accounts by numeric id from the event actor', () => {
    const [star] = mapEventsApiEvent(event('WatchEvent', { action: 'started' }), 4242);
    expect(star.actor).toEqual({ kind: 'github', account: expect.objectContaining({ id: 77, login: 'dev-one' }) });
  });

  it('is detected as the Events API format, with the repository from repo', () => {
    const input = event('WatchEvent', { action: 'started' });
    expect(detectFormat(input)).toBe('events-api');
    expect(eventRepository(input)).toEqual({ id: 4242, fullName: 'acme/model' });
    expect(mapGharchiveEvent(input, 4242)).toHaveLength(1);
  });
});
