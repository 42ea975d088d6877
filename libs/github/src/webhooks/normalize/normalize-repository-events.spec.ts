import { createRequire } from 'node:module';
import { normalizeDelivery } from './normalize-delivery.js';

const require = createRequire(import.meta.url);
const definitions: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const example = (event: string, action?: string) =>
  structuredClone(definitions.find((d) => d.name === event)!.examples.find((x) => action === undefined || x.action === action));
const context = { receivedAt: new Date('2024-06-01T00:00:00Z') };
const REPO = 186853002;

describe('normalizeStar', () => {
  it('created → star by the sender keyed star:<repo>:<account> at starred_at, re-activated if it was removed', () => {
    const plan = normalizeDelivery('star', example('star', 'created'), context);
    expect(plan.activities).toEqual([
      expect.objectContaining({ type: 'star', sourceKey: `star:${REPO}:21031067`, occurredAt: new Date('2019-05-15T15:20:40Z') }),
    ]);
    expect(plan.restorations).toEqual([`star:${REPO}:21031067`]);
  });

  it('deleted → the star activity is marked removed at the receive time', () => {
    const plan = normalizeDelivery('star', example('star', 'deleted'), context);
    expect(plan).toMatchObject({ outcome: 'processed', activities: [], removals: [{ sourceKey: `star:${REPO}:21031067`, removedAt: context.receivedAt }] });
  });

  it('I1: a star by the ghost sender is keyed under the ghost id', () => {
    const payload = example('star', 'created');
    payload.sender = { login: 'ghost', id: 10137, type: 'User' };
    expect(normalizeDelivery('star', payload, context).activities[0].sourceKey).toBe(`star:${REPO}:10137`);
  });
});

describe('normalizeFork, normalizeRelease, normalizeRepository', () => {
  it('fork → fork by the sender keyed by the new repository id, at its created_at', () => {
    const plan = normalizeDelivery('fork', example('fork'), context);
    expect(plan.activities).toEqual([
      expect.objectContaining({
        type: 'fork',
        sourceKey: 'fork:186853261',
        occurredAt: new Date('2019-05-15T15:20:42Z'),
        actor: { kind: 'github', account: expect.objectContaining({ login: 'Octocoders', type: 'Organization' }) }, // the example's sender
      }),
    ]);
  });

  it('release published → release by its author at published_at', () => {
    const plan = normalizeDelivery('release', example('release', 'published'), context);
    expect(plan.activities.map((activity) => [activity.type, activity.sourceKey, activity.occurredAt])).toEqual([
      ['release', 'release:17372790', new Date('2019-05-15T15:20:53Z')],
    ]);
  });

  it.each(['created', 'edited', 'deleted', 'prereleased'])('ignores release %s', (action) => {
    expect(normalizeDelivery('release', example('release', action), context).outcome).toBe('ignored');
  });

  it.each(['renamed', 'transferred'])('repository %s → the row takes the new owner and name by numeric id', (action) => {
    const plan = normalizeDelivery('repository', example('repository', action), context);
    expect(plan.repository).toMatchObject({ owner: 'Octocoders', name: 'Hello-World', fullName: 'Octocoders/Hello-World', updateName: true });
    expect(plan.activities).toEqual([]);
  });

  it('other events never rename a repository (an old delivery processed late)', () => {
    expect(normalizeDelivery('star', example('star', 'created'), context).repository?.updateName).toBe(false);
  });
});

describe('normalizeDelivery', () => {
  it.each(['ping', 'installation', 'installation_repositories'])('records %s as processed with no effect', (event) => {
    const plan = normalizeDelivery(event, example(event), context);
    expect(plan).toMatchObject({ outcome: 'processed', repository: null, activities: [], issues: [], pullRequests: [], commits: [] });
  });

  it.each(['check_run', 'workflow_run', 'deployment'])('ignores %s', (event) => {
    expect(normalizeDelivery(event, example(event), context).outcome).toBe('ignored');
  });
});
