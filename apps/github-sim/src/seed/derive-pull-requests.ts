import { WEB_FLOW, type Account, type AccountRegistry } from './accounts.js';
import type { RawPullRef } from './data-files.js';
import { toGithubTimestamp } from './github-time.js';
import { stableId } from './ids.js';
import { parseMergeMessage, type MergeMessage } from './merge-message.js';
import type { AuthorAssociation, CommitRecord, MergeEvidence, PullRequestRecord, RepositoryRecord } from './snapshot.types.js';

/** A default-branch merge commit whose message names a pull request. */
export interface MergeCandidate {
  commit: Pick<CommitRecord, 'sha' | 'parents' | 'committer' | 'author' | 'authorAccount'>;
  message: MergeMessage;
}

/** The merged/closed decision for one pull request. */
export type MergeDecision =
  | { kind: 'merge-commit'; candidate: MergeCandidate }
  | { kind: 'head-in-default-branch' }
  | { kind: 'closed' };

/**
 * Decides how a pull request ended, from git evidence only:
 * 1. a default-branch commit "Merge pull request #N from LOGIN/BRANCH" whose SECOND PARENT is the PR head
 *    (GitHub's merge button makes the head the second parent) → merged by that merge commit. Requiring the parent
 *    rejects merge lines inherited from another repository's history (RWKV-infctx-trainer holds RWKV-LM's and a
 *    fork's merges under the same numbers);
 * 2. else the head commit is on the default branch → merged (rebase without rewrite, or fast-forward);
 * 3. else closed without merge. Squash merges leave no trace in git, so they land here: an approximation.
 * Open pull requests cannot be told from closed ones, so none are open.
 */
export function decideMerge(pullRef: Pick<RawPullRef, 'number' | 'head_sha' | 'head_in_default_branch'>, candidates: readonly MergeCandidate[]): MergeDecision {
  const match = candidates.find((c) => c.message.number === pullRef.number && c.commit.parents[1] === pullRef.head_sha);
  if (match) return { kind: 'merge-commit', candidate: match };
  if (pullRef.head_in_default_branch) return { kind: 'head-in-default-branch' };
  return { kind: 'closed' };
}

/** Merge candidates among default-branch commits, newest first (export order). */
export function findMergeCandidates(commits: readonly CommitRecord[]): MergeCandidate[] {
  const out: MergeCandidate[] = [];
  for (const commit of commits) {
    if (!commit.onDefaultBranch) continue;
    const message = parseMergeMessage(commit.firstLine);
    if (message) out.push({ commit, message });
  }
  return out;
}

/**
 * GitHub's author_association, as far as the data tells: OWNER for the repository's owner, CONTRIBUTOR for an
 * account that authored a default-branch commit ("has previously committed to the repository"), else NONE.
 * MEMBER/COLLABORATOR cannot be known from git.
 */
export function authorAssociationFor(account: Account, repository: RepositoryRecord, committerIds: ReadonlySet<number>): AuthorAssociation {
  if (account.id === repository.owner.id) return 'OWNER';
  if (committerIds.has(account.id)) return 'CONTRIBUTOR';
  return 'NONE';
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** The newest default-branch commit committed at or before `at` (default-branch tip then), or the oldest one. */
function defaultTipAt(defaultCommits: readonly CommitRecord[], atMs: number): string {
  const tip = defaultCommits.find((c) => c.committedAtMs <= atMs);
  return (tip ?? defaultCommits[defaultCommits.length - 1])?.sha ?? '';
}

/**
 * Derives pull requests for one repository from its pull refs (README "Derivation rules"):
 * - number, head sha, title = head commit's first line, created_at = head author date (approximation);
 * - merged state from decideMerge; merged_at = merge commit's (or head's) committer date;
 * - user = LOGIN of the merge message unless LOGIN is an Organization (a same-repository branch of an org repo:
 *   the author is a member, not the org) — then, and without a merge message, the head author's account if the
 *   noreply address identifies it, else a GENERATED account;
 * - merged_by = the merge commit author's account when identifiable, else null;
 * - head.ref = the branch from the merge message, else `pr-N` (GENERATED); base.ref = default branch;
 * - closed_at for unmerged = head committer date (approximation; the real close date is unknown).
 */
export function derivePullRequests(
  repository: RepositoryRecord,
  pullRefs: readonly RawPullRef[],
  commits: readonly CommitRecord[],
  accounts: AccountRegistry,
): PullRequestRecord[] {
  const defaultCommits = commits.filter((c) => c.onDefaultBranch);
  const candidates = findMergeCandidates(commits);
  const committerIds = new Set<number>();
  for (const c of defaultCommits) if (c.authorAccount) committerIds.add(c.authorAccount.id);

  const pulls = [...pullRefs].sort((a, b) => a.number - b.number).map((ref): PullRequestRecord => {
    const decision = decideMerge(ref, candidates);
    const createdAt = toGithubTimestamp(ref.head_author.date);
    let evidence: MergeEvidence = 'none';
    let mergedAt: string | null = null;
    let mergedBy: Account | null = null;
    let mergeCommitSha: string | null = ref.merge_ref_sha;
    let user: Account | null = null;
    let headRef = `pr-${ref.number}`;
    let headOwner: Account | null = null;
    let baseSha = defaultTipAt(defaultCommits, Date.parse(createdAt));

    if (decision.kind === 'merge-commit') {
      const { commit, message } = decision.candidate;
      evidence = 'merge-commit';
      mergedAt = commit.committer.date;
      mergeCommitSha = commit.sha;
      const merger = commit.authorAccount;
      mergedBy = merger && merger !== WEB_FLOW ? merger : null;
      headRef = message.branch;
      baseSha = commit.parents[0] ?? baseSha;
      headOwner = accounts.forLogin(message.login);
      if (headOwner.type !== 'Organization') user = headOwner;
    } else if (decision.kind === 'head-in-default-branch') {
      evidence = 'head-in-default-branch';
      mergedAt = later(toGithubTimestamp(ref.head_committer.date), createdAt);
      mergeCommitSha = ref.head_sha;
    }
    user ??= accounts.forGitIdentityOrGenerated(ref.head_author);
    headOwner ??= user;
    const closedAt = mergedAt ?? later(toGithubTimestamp(ref.head_committer.date), createdAt);
    const key = `${repository.fullName}#${ref.number}`;

    return {
      id: stableId('pullRequest', key),
      issueId: stableId('issue', key),
      number: ref.number,
      title: ref.head_message_first_line,
      user,
      state: 'closed',
      merged: mergedAt !== null,
      mergedAt,
      mergedBy,
      mergeCommitSha,
      closedAt,
      createdAt,
      updatedAt: closedAt,
      head: { sha: ref.head_sha, ref: headRef, owner: headOwner, sameRepository: headOwner.id === repository.owner.id },
      base: { ref: repository.defaultBranch, sha: baseSha },
      evidence,
      commitsNotInDefaultBranch: ref.head_commits_not_in_default_branch,
      authorAssociation: authorAssociationFor(user, repository, committerIds),
    };
  });
  return pulls;
}
