import { createRequire } from 'node:module';
import { normalizeDelivery } from './normalize-delivery.js';

const require = createRequire(import.meta.url);
const definitions: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const examples = (event: string) => structuredClone(definitions.find((d) => d.name === event)!.examples);
const context = { receivedAt: new Date('2024-06-01T00:00:00Z') };
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

// I5 (shared/cases/identity.md)
const I5_MESSAGE = [
  'Fix parser edge case',
  '',
  '    Co-authored-by: Eve Example <eve@example.com>',
  '',
  'Signed-off-by: Oak River <oak@river.example>',
  'Co-authored-by: Pat Partner <4243+pat-p@users.noreply.github.com>',
  'co-authored-by: Sam Second <sam@example.org>',
  'Co-authored-by: Oak River <oak@river.example>',
].join('\n');

const branchPush = () => examples('push').find((push) => push.commits.length > 0);

describe('normalizePush', () => {
  it('turns a distinct commit of a real push payload into a commit row and a commit:<sha> activity', () => {
    const plan = normalizeDelivery('push', branchPush(), context);
    expect(plan.outcome).toBe('processed');
    expect(plan.repository).toMatchObject({ id: 186853002, owner: 'Codertocat', name: 'Hello-World', updateName: false });
    expect(plan.repository?.pushedAt).toEqual(new Date(1557933657 * 1000)); // Unix seconds in push payloads
    expect(plan.commits).toEqual([
      {
        sha: SHA,
        repositoryId: 186853002,
        author: { kind: 'commit-author', account: null, name: 'Codertocat', email: '21031067+Codertocat@users.noreply.github.com' },
        authoredAt: new Date('2019-05-15T15:19:25Z'),
        messageHeadline: 'Initial commit',
        coAuthors: [],
      },
    ]);
    expect(plan.activities).toEqual([
      expect.objectContaining({
        type: 'commit',
        sourceKey: `commit:${SHA}`,
        occurredAt: new Date('2019-05-15T15:19:25Z'),
        repositoryId: 186853002,
        source: 'webhook',
        actor: { kind: 'commit-author', account: null, name: 'Codertocat', email: '21031067+Codertocat@users.noreply.github.com' },
      }),
    ]);
  });

  it('I5: credits the author once and each final-trailer co-author under its own key; Eve gets nothing', () => {
    const push = branchPush();
    push.commits[0].message = I5_MESSAGE;
    push.commits[0].author = { name: 'Oak River', email: 'oak@river.example', username: 'oak-river' };
    const plan = normalizeDelivery('push', push, context);
    expect(plan.activities.map((activity) => [activity.sourceKey, activity.actor])).toEqual([
      [`commit:${SHA}`, { kind: 'commit-author', account: null, name: 'Oak River', email: 'oak@river.example' }],
      [
        `commit:${SHA}:co:4243+pat-p@users.noreply.github.com`,
        { kind: 'commit-author', account: null, name: 'Pat Partner', email: '4243+pat-p@users.noreply.github.com' },
      ],
      [`commit:${SHA}:co:sam@example.org`, { kind: 'commit-author', account: null, name: 'Sam Second', email: 'sam@example.org' }],
    ]);
    expect(plan.commits[0].coAuthors).toHaveLength(3); // the row keeps every trailer, the author's own included
  });

  it.each([
    ['a commit already pushed to another branch (distinct: false)', (push: any) => (push.commits[0].distinct = false)],
    ['an abbreviated SHA', (push: any) => (push.commits[0].id = '6113728')],
    ['a malformed co-author only', (push: any) => (push.commits[0].message = 'Fix\n\nCo-authored-by: Name <>')],
  ])('records no commit for %s', (label, mutate) => {
    const push = branchPush();
    mutate(push);
    const plan = normalizeDelivery('push', push, context);
    const expected = label.startsWith('a malformed') ? 1 : 0; // the author still counts
    expect(plan.activities).toHaveLength(expected);
  });

  it('processes a tag push without commits and records nothing', () => {
    const tagPush = examples('push').find((push) => push.commits.length === 0);
    const plan = normalizeDelivery('push', tagPush, context);
    expect(plan).toMatchObject({ outcome: 'processed', commits: [], activities: [] });
  });

  it('falls back to the receive time for a commit without timestamp', () => {
    const push = branchPush();
    delete push.commits[0].timestamp;
    expect(normalizeDelivery('push', push, context).activities[0].occurredAt).toEqual(context.receivedAt);
  });
});
