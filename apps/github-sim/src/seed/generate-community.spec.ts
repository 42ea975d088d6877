import { loadSnapshot } from './build-snapshot.js';
import { DEFAULT_LABELS } from './generate-community.js';
import { GENERATED_MARKER } from './generate-issues.js';
import { isGeneratedId } from './ids.js';
import type { Snapshot } from './snapshot.types.js';
import { sharedSnapshot, simDataDir } from '../testing/sim-data.js';

describe('generated community data', () => {
  let snapshot: Snapshot;
  beforeAll(async () => {
    snapshot = await sharedSnapshot();
  });

  it('is the same on two loads', async () => {
    const again = await loadSnapshot(simDataDir());
    const shape = (s: Snapshot) =>
      s.repositories.map((r) => ({
        reviews: r.reviews.map((x) => [x.id, x.pullNumber, x.user?.id ?? null, x.state, x.submittedAt]),
        stars: r.stargazers.map((x) => [x.user.id, x.starredAt]),
        forks: r.forks.map((x) => [x.id, x.owner.id, x.createdAt]),
        releases: r.releases.map((x) => [x.id, x.tagName, x.author.id]),
      }));
    expect(shape(again)).toEqual(shape(snapshot));
  });

  it.each<[string, (s: Snapshot) => boolean]>([
    ['one release per real tag, tag name and date kept', (s) => s.repositories.every((r) => r.releases.length === r.tags.length && r.tags.every((t) => r.releases.some((x) => x.tagName === t.name && x.publishedAt === t.date)))],
    ['GitHub default labels in every repository', (s) => s.repositories.every((r) => r.labels.map((l) => l.name).join() === DEFAULT_LABELS.map((l) => l.name).join())],
    ['exactly one deleted-account review and review comment per repository (I1)', (s) => s.repositories.every((r) => r.reviews.filter((x) => !x.user).length === 1 && r.reviewComments.filter((x) => !x.user).length === 1)],
    ['every invented id is in a generated range', (s) => s.repositories.every((r) => [...r.reviews, ...r.reviewComments, ...r.forks, ...r.releases, ...r.labels].every((x) => isGeneratedId(x.id)))],
    ['every review and review comment body is marked (approvals have no body)', (s) => s.repositories.every((r) => r.reviews.every((x) => x.body === '' || x.body.startsWith(GENERATED_MARKER)) && r.reviewComments.every((x) => x.body.startsWith(GENERATED_MARKER)))],
    ['stargazers are distinct and oldest first', (s) => s.repositories.every((r) => new Set(r.stargazers.map((x) => x.user.id)).size === r.stargazers.length && r.stargazers.every((x, i, a) => i === 0 || a[i - 1].starredAt <= x.starredAt))],
    ['no review is submitted before its pull request was created', (s) => s.repositories.every((r) => r.reviews.every((x) => Date.parse(x.submittedAt) >= Date.parse(r.pullByNumber.get(x.pullNumber)!.createdAt)))],
    ['some open issues carry a newcomer label', (s) => s.repositories.some((r) => r.issues.some((i) => i.state === 'open' && i.labels.includes('good first issue')))],
  ])('%s', (_name, holds) => {
    expect(holds(snapshot)).toBe(true);
  });
});
