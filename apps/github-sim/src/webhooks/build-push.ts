import { WEB_FLOW, type Account } from '../seed/accounts.js';
import type { CommitRecord, Snapshot } from '../seed/snapshot.types.js';
import type { WebhookDelivery } from './emit-webhooks.js';
import { webhookOrganization, webhookRepository, webhookScope, webhookUser, type WebhookBuildOptions, type WebhookScope } from './webhook-context.js';

const ZERO_SHA = '0000000000000000000000000000000000000000';

function pushPerson(c: CommitRecord['author'], account: Account | null): Record<string, unknown> {
  return { name: c.name, email: c.email, ...(account && account !== WEB_FLOW ? { username: account.login } : {}) };
}

/** A commit as it appears in a push payload's `commits[]` / `head_commit` (file lists are not in the export: []). */
function pushCommit(scope: WebhookScope, c: CommitRecord): Record<string, unknown> {
  return {
    id: c.sha,
    tree_id: null,
    distinct: true,
    message: c.message,
    timestamp: c.author.date,
    url: `${scope.urls.htmlUrl}/${scope.data.repository.fullName}/commit/${c.sha}`,
    author: pushPerson(c.author, c.authorAccount),
    committer: pushPerson(c.committer, c.committerAccount),
    added: [],
    removed: [],
    modified: [],
  };
}

/**
 * A `push` delivery for the `count` newest default-branch commits (default 3), as if they had just been pushed:
 * `ref` refs/heads/<default>, `before` = first parent of the oldest pushed commit, `after` = newest, `commits[]`
 * oldest first with `distinct: true`, `head_commit` = newest. The repository object uses the push variant
 * (owner with name/email, created_at/pushed_at as epoch seconds), as GitHub sends it. Pusher and sender: the
 * head commit's author account when identifiable, else the repository owner.
 */
export function buildPushDelivery(snapshot: Snapshot, fullName: string, options: WebhookBuildOptions & { count?: number } = {}): WebhookDelivery {
  const scope = webhookScope(snapshot, fullName, options);
  const newest = scope.data.defaultBranchCommits.slice(0, Math.max(1, options.count ?? 3));
  if (newest.length === 0) throw new RangeError(`no default-branch commits in ${fullName}`);
  const commits = [...newest].reverse();
  const head = newest[0];
  const oldest = commits[0];
  const before = oldest.parents[0] ?? ZERO_SHA;
  const pusherAccount = head.authorAccount && head.authorAccount !== WEB_FLOW ? head.authorAccount : scope.data.repository.owner;
  const repo = scope.data.repository;
  const repositoryJson = webhookRepository(scope);
  const organization = webhookOrganization(scope);
  return {
    event: 'push',
    payload: {
      ref: `refs/heads/${repo.defaultBranch}`,
      before,
      after: head.sha,
      repository: {
        ...repositoryJson,
        owner: { name: repo.owner.login, email: null, ...webhookUser(scope, repo.owner) },
        created_at: Math.floor(Date.parse(repo.createdAt) / 1000),
        pushed_at: Math.floor(Date.parse(head.committer.date) / 1000),
        stargazers: 0,
        master_branch: repo.defaultBranch,
      },
      pusher: { name: pusherAccount.login, email: head.authorAccount === pusherAccount ? head.author.email : null },
      ...(organization ? { organization } : {}),
      sender: webhookUser(scope, pusherAccount),
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${scope.urls.htmlUrl}/${repo.fullName}/compare/${before.slice(0, 12)}...${head.sha.slice(0, 12)}`,
      commits: commits.map((c) => pushCommit(scope, c)),
      head_commit: pushCommit(scope, head),
    },
  };
}
