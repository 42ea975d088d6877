import { renderRepository } from '../render/render-repository.js';
import { renderSimpleUser } from '../render/render-user.js';
import { GENERATED_MARKER } from '../seed/generate-issues.js';
import { legacyNodeId, stableId } from '../seed/ids.js';
import type { Snapshot, TagRecord } from '../seed/snapshot.types.js';
import type { WebhookDelivery } from './emit-webhooks.js';
import { accountByLogin, envelope, pickRealAccount, webhookScope, type WebhookBuildOptions } from './webhook-context.js';

interface ActorOptions extends WebhookBuildOptions {
  /** Login of the acting account (must be in the snapshot); default a real account picked by hash. */
  sender?: string;
  /** ISO timestamp of the event; default the repository's pushed_at. */
  at?: string;
}

/** A GENERATED `star` delivery, action `created`: `starred_at` plus the envelope. */
export function buildStarDelivery(snapshot: Snapshot, fullName: string, options: ActorOptions = {}): WebhookDelivery {
  const scope = webhookScope(snapshot, fullName, options);
  const sender = options.sender ? accountByLogin(scope, options.sender) : pickRealAccount(scope, 'star');
  return {
    event: 'star',
    payload: { action: 'created', starred_at: options.at ?? scope.data.repository.pushedAt, ...envelope(scope, sender) },
  };
}

/**
 * A GENERATED `fork` delivery: `forkee` is the new repository `<sender>/<name>` (fork: true, a generated id,
 * description marked generated), plus the envelope of the forked repository.
 */
export function buildForkDelivery(snapshot: Snapshot, fullName: string, options: ActorOptions = {}): WebhookDelivery {
  const scope = webhookScope(snapshot, fullName, options);
  const sender = options.sender ? accountByLogin(scope, options.sender) : pickRealAccount(scope, 'fork');
  const base = renderRepository(scope.data, scope.urls);
  const forkFullName = `${sender.login}/${scope.data.repository.name}`;
  const at = options.at ?? scope.data.repository.pushedAt;
  const id = stableId('repository', `fork:${forkFullName}`);
  const api = `${scope.urls.apiUrl}/repos/${forkFullName}`;
  const forkee: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) {
    forkee[key] = typeof value === 'string' ? value.replaceAll(`/repos/${scope.data.repository.fullName}`, `/repos/${forkFullName}`).replaceAll(`github.com/${scope.data.repository.fullName}`, `github.com/${forkFullName}`) : value;
  }
  delete forkee.organization;
  Object.assign(forkee, {
    id,
    node_id: legacyNodeId('Repository', id),
    full_name: forkFullName,
    owner: renderSimpleUser(sender, scope.urls),
    description: `${GENERATED_MARKER} fork of ${scope.data.repository.fullName}`,
    fork: true,
    url: api,
    created_at: at,
    updated_at: at,
    pushed_at: at,
    open_issues_count: 0,
    open_issues: 0,
    public: true,
  });
  return { event: 'fork', payload: { forkee, ...envelope(scope, sender) } };
}

/**
 * A `release` delivery, action `published`, for the newest tag of the repository (real tag name, commit and date;
 * release id, name and body are GENERATED — the export has tags, not releases). A repository without tags gets a
 * GENERATED tag `sim-<sha7>` on the default-branch head. Author and sender: the repository owner, or for an
 * organisation the head commit's author account when identifiable.
 */
export function buildReleasePublishedDelivery(snapshot: Snapshot, fullName: string, options: WebhookBuildOptions & { tag?: string } = {}): WebhookDelivery {
  const scope = webhookScope(snapshot, fullName, options);
  const repo = scope.data.repository;
  const tags = [...scope.data.tags].sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
  const head = scope.data.defaultBranchCommits[0];
  let tag: TagRecord | undefined = options.tag ? tags.find((t) => t.name === options.tag) : tags[0];
  if (options.tag && !tag) throw new RangeError(`no tag ${options.tag} in ${fullName}`);
  tag ??= { name: `sim-${(head?.sha ?? repo.headSha).slice(0, 7)}`, commitSha: head?.sha ?? repo.headSha, date: head?.committer.date ?? repo.pushedAt };
  const tagCommit = scope.data.commitBySha.get(tag.commitSha);
  const author = repo.owner.type === 'User' ? repo.owner : (tagCommit?.authorAccount && !tagCommit.authorAccount.generated ? tagCommit.authorAccount : pickRealAccount(scope, 'release'));
  const id = stableId('other', `release:${repo.fullName}:${tag.name}`);
  const api = `${scope.urls.apiUrl}/repos/${repo.fullName}`;
  const html = `${scope.urls.htmlUrl}/${repo.fullName}`;
  return {
    event: 'release',
    payload: {
      action: 'published',
      release: {
        url: `${api}/releases/${id}`,
        assets_url: `${api}/releases/${id}/assets`,
        upload_url: `https://uploads.github.com/repos/${repo.fullName}/releases/${id}/assets{?name,label}`,
        html_url: `${html}/releases/tag/${encodeURIComponent(tag.name)}`,
        id,
        node_id: legacyNodeId('Release', id),
        tag_name: tag.name,
        target_commitish: repo.defaultBranch,
        name: tag.name,
        draft: false,
        author: renderSimpleUser(author, scope.urls),
        prerelease: false,
        created_at: tag.date,
        published_at: tag.date,
        assets: [],
        tarball_url: `${api}/tarball/${encodeURIComponent(tag.name)}`,
        zipball_url: `${api}/zipball/${encodeURIComponent(tag.name)}`,
        body: `${GENERATED_MARKER} Release notes are not in the data; tag ${tag.name} points at ${tag.commitSha}.`,
      },
      ...envelope(scope, author),
    },
  };
}
