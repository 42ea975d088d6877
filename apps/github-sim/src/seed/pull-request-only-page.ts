import { GENERATED_MARKER } from './generate-issues.js';
import { fromEpochMs } from './github-time.js';
import { stableId } from './ids.js';
import type { PullRequestRecord, RepositoryData, Snapshot } from './snapshot.types.js';

/**
 * A copy of `snapshot` in which repository `fullName` has `count` more GENERATED pull requests
 * (closed, not merged, by the repository's first pull request author), numbered after its last
 * issue and updated a minute apart after its `pushed_at` — newer than every other issue or pull
 * request. With `count` = 100, "List repository issues" sorted by `updated` descending then opens
 * with a page made only of pull requests, and the issues follow on page 2 (sync case S3). The
 * original snapshot is not changed; other repositories are shared.
 * @throws Error when the repository is unknown or has no pull request to take an author from.
 */
export function withPullRequestOnlyPage(snapshot: Snapshot, fullName: string, count = 100): Snapshot {
  const original = snapshot.byFullName.get(fullName.toLowerCase());
  const author = original?.pulls[0]?.user;
  if (!original || !author) throw new Error(`withPullRequestOnlyPage: ${fullName} is unknown or has no pull request`);
  const firstNumber = Math.max(0, ...original.pulls.map((p) => p.number), ...original.issues.map((i) => i.number)) + 1;
  const pushedMs = Date.parse(original.repository.pushedAt);
  const extra: PullRequestRecord[] = Array.from({ length: count }, (_, k) => {
    const number = firstNumber + k;
    const key = `${original.repository.fullName}#${number}`;
    const at = fromEpochMs(pushedMs + (k + 1) * 60_000);
    return {
      id: stableId('pullRequest', `s3:${key}`),
      issueId: stableId('issue', `s3:${key}`),
      number,
      title: `${GENERATED_MARKER} pull request ${k + 1} of a page made only of pull requests (case S3)`,
      user: author,
      state: 'closed',
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      closedAt: at,
      createdAt: at,
      updatedAt: at,
      head: { sha: original.repository.headSha, ref: `s3-${number}`, owner: author, sameRepository: true },
      base: { ref: original.repository.defaultBranch, sha: original.repository.headSha },
      evidence: 'none',
      commitsNotInDefaultBranch: 0,
      authorAssociation: 'NONE',
    };
  });
  const pulls = [...original.pulls, ...extra];
  const data: RepositoryData = { ...original, pulls, pullByNumber: new Map(pulls.map((p) => [p.number, p])) };
  const repositories = snapshot.repositories.map((r) => (r === original ? data : r));
  return {
    ...snapshot,
    repositories,
    byFullName: new Map(repositories.map((r) => [r.repository.fullName.toLowerCase(), r])),
  };
}
