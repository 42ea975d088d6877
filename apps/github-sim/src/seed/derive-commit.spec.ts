import { AccountRegistry, buildLoginIdMap } from './accounts.js';
import type { RawCommit } from './data-files.js';
import { deriveCommit, reconstructMessage } from './derive-commit.js';
import { toGithubTimestamp } from './github-time.js';

describe('reconstructMessage', () => {
  it.each([
    ['Update README.md', [], 'Update README.md'],
    ['Fix x', [{ name: 'A B', email: 'a@b.c' }], 'Fix x\n\nCo-authored-by: A B <a@b.c>'],
    ['Fix y', [{ name: 'A', email: '' }, { name: 'C', email: 'nodomain' }], 'Fix y\n\nCo-authored-by: A <>\nCo-authored-by: C <nodomain>'],
  ])('rebuilds %p with %j co-authors', (line, coAuthors, expected) => {
    expect(reconstructMessage(line, coAuthors)).toBe(expected);
  });
});

describe('toGithubTimestamp', () => {
  it.each([
    ['2026-08-21T21:43:06+08:00', '2026-08-21T13:43:06Z'],
    ['2022-10-07T13:42:33+11:00', '2022-10-07T02:42:33Z'],
    ['2023-01-01T00:00:00-05:00', '2023-01-01T05:00:00Z'],
    ['2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z'],
  ])('converts %s to UTC %s', (input, expected) => {
    expect(toGithubTimestamp(input)).toBe(expected);
  });

  it('rejects an unparseable date', () => {
    expect(() => toGithubTimestamp('yesterday')).toThrow(RangeError);
  });
});

describe('deriveCommit', () => {
  // Shape of the first line of shared/data/rwkv/BlinkDL__RWKV-LM.commits.jsonl.
  const raw: RawCommit = {
    repo: 'BlinkDL/RWKV-LM',
    sha: '524481d5099b38d9bc8ef1e89209161b86c8011b',
    parents: ['ec56ea2b172c065a793d25723bc03e2af1f018dd'],
    author: { name: 'PENG Bo', email: '33809201+BlinkDL@users.noreply.github.com', date: '2026-08-21T21:43:06+08:00' },
    committer: { name: 'GitHub', email: 'noreply@github.com', date: '2026-08-21T21:43:06+08:00' },
    message_first_line: 'Update README.md',
    co_authors: [],
    on_default_branch: true,
    reachable_from: 'default_branch',
    pull_heads: [],
  };
  const accounts = () => new AccountRegistry(buildLoginIdMap([raw.author.email]));

  it('links a noreply author and the web-flow committer, with UTC dates', () => {
    const commit = deriveCommit(raw, 0, accounts());
    expect(commit.authorAccount).toMatchObject({ id: 33809201, login: 'BlinkDL' });
    expect(commit.committerAccount).toMatchObject({ id: 19864447, login: 'web-flow', type: 'User' });
    expect(commit.author.date).toBe('2026-08-21T13:43:06Z');
    expect(commit.committedAtMs).toBe(Date.parse('2026-08-21T13:43:06Z'));
  });

  it('leaves author and committer null for hashed e-mails, as GitHub does for unlinked addresses', () => {
    const hashed = { name: 'harrison', email: '32e965d545ce691fd2f84d36e7cf02698bb3dea9@gmail.com', date: raw.author.date };
    const commit = deriveCommit({ ...raw, author: hashed, committer: hashed }, 3, accounts());
    expect(commit.authorAccount).toBeNull();
    expect(commit.committerAccount).toBeNull();
    expect(commit.index).toBe(3);
  });
});
