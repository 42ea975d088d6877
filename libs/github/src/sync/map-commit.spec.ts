import { mapCommit } from './map-commit.js';
import type { RestCommit } from './rest-shapes.js';

const REPO = 555;

/** A REST commit shaped like GitHub's "List commits" item (only the fields the sync reads). */
function restCommit(overrides: {
  sha?: string;
  message?: string;
  author?: RestCommit['author'];
  name?: string;
  email?: string;
  date?: string;
  parents?: number;
}): RestCommit {
  return {
    sha: overrides.sha ?? '524481d5099b38d9bc8ef1e89209161b86c8011b',
    commit: {
      author: { name: overrides.name ?? 'PENG Bo', email: overrides.email ?? '33809201+BlinkDL@users.noreply.github.com', date: overrides.date ?? '2026-08-21T13:43:06Z' },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: '2026-08-21T13:43:06Z' },
      message: overrides.message ?? 'Update README.md',
    },
    author: overrides.author === undefined ? { id: 33809201, login: 'BlinkDL', type: 'User' } : overrides.author,
    parents: Array.from({ length: overrides.parents ?? 1 }, (_, index) => ({ sha: `${index}`.repeat(40) })),
  };
}

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

describe('mapCommit', () => {
  it('maps the row: author date as a UTC instant, headline, merge flag (BlinkDL/RWKV-LM 524481d, shared/data/rwkv)', () => {
    const { row } = mapCommit(restCommit({ message: 'Update README.md\n\nlonger body' }), REPO);
    expect(row).toEqual({
      sha: '524481d5099b38d9bc8ef1e89209161b86c8011b',
      repositoryId: REPO,
      authorName: 'PENG Bo',
      authoredAt: new Date('2026-08-21T13:43:06Z'),
      committedAt: new Date('2026-08-21T13:43:06Z'),
      messageHeadline: 'Update README.md',
      coAuthors: [],
      isMerge: false,
    });
  });

  it.each<[string, Parameters<typeof restCommit>[0], Array<{ key: string; account: number | null; email: string | null }>]>([
    [
      'a linked author credits the API account (BlinkDL noreply)',
      {},
      [{ key: 'commit:524481d5099b38d9bc8ef1e89209161b86c8011b', account: 33809201, email: '33809201+BlinkDL@users.noreply.github.com' }],
    ],
    [
      'an unlinked author (author: null) credits the git e-mail',
      { author: null, name: 'harrison', email: '32e965d545ce691fd2f84d36e7cf02698bb3dea9@gmail.com' },
      [{ key: 'commit:524481d5099b38d9bc8ef1e89209161b86c8011b', account: null, email: '32e965d545ce691fd2f84d36e7cf02698bb3dea9@gmail.com' }],
    ],
    [
      'an empty author object counts as unlinked',
      { author: {} as Record<string, never>, email: 'x@example.org' },
      [{ key: 'commit:524481d5099b38d9bc8ef1e89209161b86c8011b', account: null, email: 'x@example.org' }],
    ],
    [
      'I5: co-authors of the final trailer block, the author once, the quoted line nobody',
      { sha: 'a'.repeat(40), message: I5_MESSAGE, author: { id: 4242, login: 'oak-river' }, name: 'Oak River', email: 'oak@river.example' },
      [
        { key: `commit:${'a'.repeat(40)}`, account: 4242, email: 'oak@river.example' },
        { key: `commit:${'a'.repeat(40)}:co:4243+pat-p@users.noreply.github.com`, account: null, email: '4243+pat-p@users.noreply.github.com' },
        { key: `commit:${'a'.repeat(40)}:co:sam@example.org`, account: null, email: 'sam@example.org' },
      ],
    ],
    [
      'a co-author trailer naming the author by noreply id is not credited twice',
      { message: 'Fix\n\nCo-authored-by: PENG Bo <33809201+BlinkDL@users.noreply.github.com>', email: 'bo@example.org' },
      [{ key: 'commit:524481d5099b38d9bc8ef1e89209161b86c8011b', account: 33809201, email: 'bo@example.org' }],
    ],
    [
      'malformed trailers from RWKV/rwkv.cpp (`Johnman <>`, an address with no domain) credit nobody',
      { message: 'Fix instruct mode\n\nCo-authored-by: Johnman <>\nCo-authored-by: Johnman <b55ea1da@github>\nCo-authored-by: GitHub <noreply@github.com>' },
      [
        { key: 'commit:524481d5099b38d9bc8ef1e89209161b86c8011b', account: 33809201, email: '33809201+BlinkDL@users.noreply.github.com' },
        { key: 'commit:524481d5099b38d9bc8ef1e89209161b86c8011b:co:b55ea1da@github', account: null, email: 'b55ea1da@github' },
      ],
    ],
  ])('%s', (_label, input, expected) => {
    const { activities } = mapCommit(restCommit(input), REPO);
    expect(
      activities.map((activity) => ({
        key: activity.sourceKey,
        account: activity.actor.account?.id ?? null,
        email: activity.actor.kind === 'commit-author' ? activity.actor.email : null,
      })),
    ).toEqual(expected);
    for (const activity of activities) {
      expect(activity).toMatchObject({ type: 'commit', source: 'api', repositoryId: REPO });
      expect(JSON.stringify(activity.facts)).not.toContain('@');
    }
  });

  it('flags a merge commit in the row and the facts', () => {
    const { row, activities } = mapCommit(restCommit({ parents: 2, message: 'Merge pull request #350 from OctoBored/fix/star-history-chart' }), REPO);
    expect(row.isMerge).toBe(true);
    expect(activities[0].facts).toMatchObject({ merge: true, headline: 'Merge pull request #350 from OctoBored/fix/star-history-chart' });
  });

  it('dates a commit with no author date at its committer date, and refuses one with neither', () => {
    const commit = restCommit({});
    commit.commit.author = { name: 'x', email: 'x@example.org', date: null };
    expect(mapCommit(commit, REPO).row.authoredAt).toEqual(new Date('2026-08-21T13:43:06Z'));
    commit.commit.committer = null;
    expect(() => mapCommit(commit, REPO)).toThrow(TypeError);
  });
});
