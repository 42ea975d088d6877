import { legacyNodeId } from '../seed/ids.js';
import type { CommitRecord, RepositoryRecord } from '../seed/snapshot.types.js';
import type { JsonObject, UrlContext } from './github-json.types.js';
import { renderSimpleUser } from './render-user.js';

/**
 * GitHub's commit object (List commits / Get a commit). `author`/`committer` are user objects only when the
 * record links an account (noreply addresses; web-flow for `noreply@github.com`), else null as GitHub returns for
 * unlinked e-mails. Not in the export, so left out: `commit.tree`, `commit.verification`, `stats`, `files`.
 */
export function renderCommit(commit: CommitRecord, repo: RepositoryRecord, ctx: UrlContext): JsonObject {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const html = `${ctx.htmlUrl}/${repo.fullName}`;
  return {
    sha: commit.sha,
    node_id: legacyNodeId('Commit', `${repo.id}:${commit.sha}`),
    commit: {
      author: { ...commit.author },
      committer: { ...commit.committer },
      message: commit.message,
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${html}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: commit.authorAccount ? renderSimpleUser(commit.authorAccount, ctx) : null,
    committer: commit.committerAccount ? renderSimpleUser(commit.committerAccount, ctx) : null,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${html}/commit/${sha}` })),
  };
}
