import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedSnapshot, simDataDir } from '../testing/sim-data.js';
import { GENERATED_MARKER } from './generate-issues.js';
import { isGeneratedId } from './ids.js';
import { loadSnapshot, summarizeSnapshot } from './build-snapshot.js';

interface Meta {
  repo: string;
  default_branch: string;
  commits_exported: number;
  commits_default_branch: number;
  pull_refs: number;
}

const metas: Meta[] = readFileSync(join(simDataDir(), '_export_meta.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Meta);

describe('buildSnapshot on the RWKV export', () => {
  it.each(metas.map((m) => [m.repo, m] as const))('holds the commit, default-branch and pull-request counts of _export_meta for %s', async (fullName, meta) => {
    const data = (await sharedSnapshot()).byFullName.get(fullName.toLowerCase())!;
    expect(data.commits).toHaveLength(meta.commits_exported);
    expect(data.defaultBranchCommits).toHaveLength(meta.commits_default_branch);
    expect(data.pulls).toHaveLength(meta.pull_refs);
    expect(data.repository.defaultBranch).toBe(meta.default_branch);
  });

  it('types the owners from the explicit table: RWKV an Organization, BlinkDL and josStorer Users', async () => {
    const { owners } = await sharedSnapshot();
    expect(owners.get('rwkv')).toMatchObject({ login: 'RWKV', type: 'Organization' });
    expect(owners.get('blinkdl')).toMatchObject({ login: 'BlinkDL', type: 'User', id: 33809201, generated: false });
    expect(owners.get('josstorer')).toMatchObject({ login: 'josStorer', type: 'User' });
  });

  it('derives PR #350 of RWKV-LM from its merge commit: user OctoBored with the real id, merged by BlinkDL', async () => {
    const pr = (await sharedSnapshot()).byFullName.get('blinkdl/rwkv-lm')!.pullByNumber.get(350)!;
    expect(pr).toMatchObject({
      merged: true,
      state: 'closed',
      evidence: 'merge-commit',
      mergedAt: '2026-08-14T13:09:24Z',
      mergeCommitSha: 'ec56ea2b172c065a793d25723bc03e2af1f018dd',
      head: { ref: 'fix/star-history-chart', sha: '65b0aa3e040182237dc3a71e0df5b57f19b18385' },
      base: { ref: 'main' },
    });
    expect(pr.user).toMatchObject({ login: 'OctoBored', id: 212877535 });
    expect(pr.mergedBy).toMatchObject({ login: 'BlinkDL', id: 33809201 });
  });

  it('ignores merge lines inherited from another history: infctx-trainer PR #66 is merged by its own merge commit', async () => {
    const data = (await sharedSnapshot()).byFullName.get('rwkv/rwkv-infctx-trainer')!;
    const pr = data.pullByNumber.get(66)!;
    const mergeCommit = data.commitBySha.get(pr.mergeCommitSha!)!;
    expect(mergeCommit.parents[1]).toBe(pr.head.sha);
    expect(pr.head.ref).toBe('remote-dataset-support');
  });

  it('never makes an organisation the author of a pull request', async () => {
    const snapshot = await sharedSnapshot();
    const authors = snapshot.repositories.flatMap((r) => r.pulls.map((p) => p.user));
    expect(authors.filter((a) => a.type === 'Organization')).toEqual([]);
    expect(authors.length).toBe(380);
  });

  it('links bot commits in RWKV-Runner to Bot accounts', async () => {
    const data = (await sharedSnapshot()).byFullName.get('josstorer/rwkv-runner')!;
    const bots = new Set(data.commits.filter((c) => c.authorAccount?.type === 'Bot').map((c) => c.authorAccount!.login));
    expect([...bots].sort()).toEqual(['dependabot[bot]', 'github-actions[bot]']);
  });

  it('generates 3 to 5 issues per repository, marked, numbered after the last pull request, by real accounts', async () => {
    const snapshot = await sharedSnapshot();
    for (const repo of snapshot.repositories) {
      const maxPull = Math.max(...repo.pulls.map((p) => p.number));
      expect(repo.issues.length).toBeGreaterThanOrEqual(3);
      expect(repo.issues.length).toBeLessThanOrEqual(5);
      for (const issue of repo.issues) {
        expect(issue.number).toBeGreaterThan(maxPull);
        expect(issue.title.startsWith(GENERATED_MARKER)).toBe(true);
        expect(issue.body.startsWith(GENERATED_MARKER)).toBe(true);
        expect(issue.user.generated).toBe(false);
        expect(isGeneratedId(issue.id)).toBe(true);
      }
    }
  });

  it('derives the same ids and accounts on every load', async () => {
    const fingerprint = (snapshot: Awaited<ReturnType<typeof sharedSnapshot>>) =>
      snapshot.repositories.map((r) => ({
        repo: r.repository.id,
        owner: r.repository.owner.id,
        pulls: r.pulls.map((p) => [p.id, p.user.id, p.user.login, p.mergedBy?.id ?? null]),
        issues: r.issues.map((i) => [i.id, i.number, i.user.id, i.title, i.createdAt, i.comments.map((c) => c.id)]),
      }));
    expect(fingerprint(await loadSnapshot(simDataDir()))).toEqual(fingerprint(await sharedSnapshot()));
  });

  it('summarises the data set', async () => {
    expect(summarizeSnapshot(await sharedSnapshot())).toMatchObject({ repositories: 6, commits: 6136, pullRequests: 380 });
  });
});
