import { GHOST_ACCOUNT_ID, isDeletedAccount, type ActivityInput } from '#libs/members';
import { forkKey, releaseKey, starKey } from '../activity-keys.js';
import { restActor } from './rest-actor.js';
import type { RestFork, RestRelease, RestStargazer } from './rest-shapes.js';

/**
 * An item of "List stargazers" with the `application/vnd.github.star+json` media type → a `star`
 * activity keyed `star:<repository id>:<account id>` (the webhook `star` key), at `starred_at`.
 * A deleted account (`user: null`) is keyed under the ghost id 10137 like the webhook path, and
 * credits the deleted-account sentinel (case I1).
 */
export function mapStargazer(star: RestStargazer, repositoryId: number): ActivityInput {
  const user = restActor(star.user);
  return {
    type: 'star',
    occurredAt: new Date(star.starred_at),
    repositoryId,
    actor: { kind: 'github', account: user },
    source: 'api',
    sourceKey: starKey(repositoryId, starAccountId(star)),
    facts: {},
  };
}

/** The account id a star is keyed under: the user's id, or the ghost id for a deleted account. */
export function starAccountId(star: Pick<RestStargazer, 'user'>): number {
  const user = restActor(star.user);
  return user && !isDeletedAccount(user) ? user.id : GHOST_ACCOUNT_ID;
}

/**
 * An item of "List forks" (the fork repository) → a `fork` activity keyed `fork:<fork id>` (the
 * webhook `fork` key), at the fork's `created_at`, by the fork's owner (the webhook credits the
 * sender, who is the owner for a personal fork).
 */
export function mapFork(fork: RestFork, repositoryId: number): ActivityInput {
  return {
    type: 'fork',
    occurredAt: new Date(fork.created_at),
    repositoryId,
    actor: { kind: 'github', account: restActor(fork.owner) },
    source: 'api',
    sourceKey: forkKey(fork.id),
    facts: { fork_id: fork.id, full_name: fork.full_name },
  };
}

/**
 * An item of "List releases" → a `release` activity keyed `release:<id>` (the webhook `release`
 * `published` key), at `published_at`, by the author; null for a draft or an unpublished release
 * (drafts are listed only to users with push access and are not yet a fact).
 */
export function mapRelease(release: RestRelease, repositoryId: number): ActivityInput | null {
  if (release.draft || !release.published_at) return null;
  return {
    type: 'release',
    occurredAt: new Date(release.published_at),
    repositoryId,
    actor: { kind: 'github', account: restActor(release.author) },
    source: 'api',
    sourceKey: releaseKey(release.id),
    facts: { tag_name: release.tag_name, name: release.name ?? null, url: release.html_url ?? null },
  };
}
