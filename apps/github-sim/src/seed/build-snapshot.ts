import { AccountRegistry, WEB_FLOW, buildLoginIdMap, type Account } from './accounts.js';
import { readDataDir, type RawRepositoryData } from './data-files.js';
import { deriveCommit } from './derive-commit.js';
import { authorAssociationFor, derivePullRequests } from './derive-pull-requests.js';
import { generateCommunity } from './generate-community.js';
import { generateIssues } from './generate-issues.js';
import { fromEpochMs, toGithubTimestamp } from './github-time.js';
import { stableId } from './ids.js';
import { parseMergeMessage } from './merge-message.js';
import { ownerTypeFor, splitFullName } from './owners.js';
import type { CommitRecord, RepositoryData, RepositoryRecord, Snapshot, SnapshotSummary, TagRecord } from './snapshot.types.js';

/** Every e-mail in the export, in file order (newest first per repository), for the login → id map. */
function* allEmails(data: readonly RawRepositoryData[]): Generator<string> {
  for (const repo of data) {
    for (const c of repo.commits) {
      yield c.author.email;
      yield c.committer.email;
      for (const co of c.co_authors) yield co.email;
    }
    for (const p of repo.pullRefs) {
      yield p.head_author.email;
      yield p.head_committer.email;
    }
  }
}

/**
 * Registers every login the data names for certain (login-only noreply addresses, merge-message logins) before any
 * account is invented from an author name, so a name-derived login never takes a real login (it gets a suffix).
 */
function registerNamedLogins(data: readonly RawRepositoryData[], accounts: AccountRegistry): void {
  for (const email of allEmails(data)) accounts.forGitIdentity({ name: '', email });
  for (const repo of data) {
    for (const c of repo.commits) {
      const merge = c.on_default_branch ? parseMergeMessage(c.message_first_line) : null;
      if (merge) accounts.forLogin(merge.login);
    }
  }
}

function isRealPerson(account: Account | null): account is Account {
  return account !== null && !account.generated && account.type === 'User' && account !== WEB_FLOW;
}

function deriveRepository(raw: RawRepositoryData, owner: Account, commits: readonly CommitRecord[]): RepositoryRecord {
  const { name } = splitFullName(raw.meta.repo);
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const c of commits) {
    if (c.onDefaultBranch) oldest = Math.min(oldest, c.committedAtMs);
    if (c.reachableFrom !== 'pull_head_only') newest = Math.max(newest, c.committedAtMs);
  }
  const pushedAt = Number.isFinite(newest) ? fromEpochMs(newest) : fromEpochMs(0);
  return {
    id: stableId('repository', raw.meta.repo),
    owner,
    name,
    fullName: raw.meta.repo,
    defaultBranch: raw.meta.default_branch,
    headSha: raw.meta.head_sha,
    createdAt: Number.isFinite(oldest) ? fromEpochMs(oldest) : pushedAt,
    pushedAt,
    updatedAt: pushedAt,
  };
}

/**
 * Builds the in-memory snapshot from the parsed export (pure: same input, same snapshot). Accounts first (login →
 * id map over the whole data set, then the owners with their OWNER_TYPES type), then per repository: commits,
 * repository record, pull requests, generated issues and community data (labels, reviews, review comments,
 * stargazers, forks, releases from the real tags). See the README for every rule.
 */
export function buildSnapshot(data: readonly RawRepositoryData[]): Snapshot {
  const accounts = new AccountRegistry(buildLoginIdMap(allEmails(data)));
  const owners = new Map<string, Account>();
  for (const raw of data) {
    const { owner } = splitFullName(raw.meta.repo);
    owners.set(owner.toLowerCase(), accounts.forLogin(owner, ownerTypeFor(owner)));
  }
  registerNamedLogins(data, accounts);

  const repositories: RepositoryData[] = data.map((raw) => {
    const owner = owners.get(splitFullName(raw.meta.repo).owner.toLowerCase())!;
    const commits = raw.commits.map((c, i) => deriveCommit(c, i, accounts));
    const repository = deriveRepository(raw, owner, commits);
    const pulls = derivePullRequests(repository, raw.pullRefs, commits, accounts);
    const tags: TagRecord[] = raw.tags.map((t) => ({ name: t.tag, commitSha: t.commit_sha, date: toGithubTimestamp(t.date) }));
    return {
      repository,
      commits,
      commitBySha: new Map(commits.map((c) => [c.sha, c])),
      defaultBranchCommits: commits.filter((c) => c.onDefaultBranch),
      tags,
      pulls,
      pullByNumber: new Map(pulls.map((p) => [p.number, p])),
      issues: [],
      issueByNumber: new Map(),
      labels: [],
      reviews: [],
      reviewComments: [],
      stargazers: [],
      forks: [],
      releases: [],
    };
  });

  // Issues last, so the fallback author pool sees every real account of the data set.
  const realPeople = accounts.all().filter(isRealPerson).sort((a, b) => a.login.localeCompare(b.login));
  for (const repo of repositories) {
    const contributorsById = new Map<number, Account>();
    for (const c of repo.defaultBranchCommits) if (isRealPerson(c.authorAccount)) contributorsById.set(c.authorAccount.id, c.authorAccount);
    const contributors = [...contributorsById.values()].sort((a, b) => a.login.localeCompare(b.login));
    const contributorIds = new Set(contributorsById.keys());
    repo.issues = generateIssues({
      repository: repo.repository,
      maxPullNumber: repo.pulls.reduce((max, p) => Math.max(max, p.number), 0),
      contributors,
      fallbackAuthors: realPeople,
      associationFor: (account) => authorAssociationFor(account, repo.repository, contributorIds),
    });
    repo.issueByNumber = new Map(repo.issues.map((i) => [i.number, i]));
    Object.assign(
      repo,
      generateCommunity({
        repository: repo.repository,
        pulls: repo.pulls,
        tags: repo.tags,
        commitBySha: repo.commitBySha,
        contributors,
        people: realPeople,
        associationFor: (account) => authorAssociationFor(account, repo.repository, contributorIds),
      }),
    );
  }

  return {
    repositories,
    byFullName: new Map(repositories.map((r) => [r.repository.fullName.toLowerCase(), r])),
    owners,
    accounts,
  };
}

/** Reads the data directory and builds the snapshot (about 3.6 MB of JSON Lines; well under a second). */
export async function loadSnapshot(dataDir: string): Promise<Snapshot> {
  return buildSnapshot(await readDataDir(dataDir));
}

/** Counts for the CLI summary and logs. */
export function summarizeSnapshot(snapshot: Snapshot): SnapshotSummary {
  const all = snapshot.accounts.all();
  return {
    repositories: snapshot.repositories.length,
    commits: snapshot.repositories.reduce((n, r) => n + r.commits.length, 0),
    pullRequests: snapshot.repositories.reduce((n, r) => n + r.pulls.length, 0),
    generatedIssues: snapshot.repositories.reduce((n, r) => n + r.issues.length, 0),
    accounts: all.length,
    generatedAccounts: all.filter((a) => a.generated).length,
  };
}
