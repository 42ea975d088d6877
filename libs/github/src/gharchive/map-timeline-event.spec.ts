import { mapTimelineEvent } from './map-timeline-event.js';
import { detectFormat } from './gharchive-event.js';
import { eventRepository } from './map-gharchive-event.js';

const repository = { id: 4242, name: 'model', owner: 'acme', url: 'https://github.com/acme/model' };
const event = (type: string, payload: Record<string, unknown>, actor = 'dev-one') => ({
  type, actor, actor_attributes: { login: actor, type: 'User', email: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
  repository, payload, public: true, created_at: '2014-06-10T19:07:44-07:00', url: 'https://github.com/acme/model',
});
const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const login = { kind: 'login', login: 'dev-one' };

describe('mapTimelineEvent (GH Archive pre-2015 format)', () => {
  it.each([
    ['PushEvent shas: one commit per distinct sha, by the hashed e-mail as given', event('PushEvent', {
      shas: [[sha(1), 'd95b56ce41a2e1ac4cecdd398defd7414407cc08@example.org', 'Fix', 'Dev One', true], [sha(2), 'x@example.org', 'Old', 'Dev', false]],
    }), [{ type: 'commit', sourceKey: `commit:${sha(1)}`, actor: { kind: 'commit-author', account: null, name: 'Dev One', email: 'd95b56ce41a2e1ac4cecdd398defd7414407cc08@example.org' } }]],
    ['IssuesEvent (reduced) opened: by the login-only actor', event('IssuesEvent', { action: 'opened', issue: 35446439, number: 9 }),
      [{ type: 'issue_opened', sourceKey: 'issue:4242:9:opened', actor: login }]],
    ['IssuesEvent (reduced) closed: keyed by the event instant (UTC, seconds)', event('IssuesEvent', { action: 'closed', issue: 35446439, number: 9 }),
      [{ type: 'issue_closed', sourceKey: 'issue:4242:9:closed:2014-06-11T02:07:44Z', actor: login }]],
    ['IssueCommentEvent (reduced): keyed by comment_id', event('IssueCommentEvent', { comment_id: 45695799, issue_id: 35445651 }),
      [{ type: 'issue_comment', sourceKey: 'issue_comment:45695799', actor: login }]],
    ['WatchEvent: a star whose key waits for the account id', event('WatchEvent', { action: 'started' }),
      [{ type: 'star', sourceKey: null, actor: login }]],
    ['ForkEvent with an empty payload: nothing (no fork repository id to key it)', event('ForkEvent', {}), []],
    ['PullRequestEvent opened by its author: the author account from the payload', event('PullRequestEvent', {
      action: 'opened', number: 1, pull_request: { id: 16976317, number: 1, user: { id: 6343405, login: 'dev-one', type: 'User' }, created_at: '2014-06-11T02:07:59Z', updated_at: '2014-06-11T02:07:59Z', state: 'open' },
    }), [{ type: 'pull_request_opened', sourceKey: 'pull_request:4242:1:opened', actor: { kind: 'github', account: expect.objectContaining({ id: 6343405 }) } }]],
    ['PullRequestEvent closed by someone else: the closer by login', event('PullRequestEvent', {
      action: 'closed', number: 1, pull_request: { id: 16976317, number: 1, user: { id: 6343405, login: 'author', type: 'User' }, merged: false, created_at: '2014-06-01T00:00:00Z', updated_at: '2014-06-11T02:07:59Z', closed_at: '2014-06-11T02:07:59Z', state: 'closed' },
    }), [{ type: 'pull_request_closed', sourceKey: 'pull_request:4242:1:closed:2014-06-11T02:07:59Z', actor: login }]],
    ['TeamAddEvent: nothing', event('TeamAddEvent', { team: { id: 1 } }), []],
  ])('%s', (_name, input, expected) => {
    const drafts = mapTimelineEvent(input, 4242);
    expect(drafts.map((d) => ({ type: d.type, sourceKey: d.sourceKey, actor: d.actor }))).toEqual(expected);
  });

  it('is detected as the timeline format, with owner/name from repository', () => {
    const input = event('WatchEvent', { action: 'started' });
    expect(detectFormat(input)).toBe('timeline');
    expect(eventRepository(input)).toEqual({ id: 4242, fullName: 'acme/model' });
    expect(eventRepository({ ...input, repository: { name: 'model', owner: 'acme' } })).toEqual({ id: null, fullName: 'acme/model' });
  });
});
