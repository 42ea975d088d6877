import { GHOST_ACCOUNT_ID, isDeletedAccount } from '#libs/members';
import { forkKey, releaseKey, starKey } from '../../activity-keys.js';
import { githubActivity, ignoredPlan, processedPlan, type DeliveryPlan } from './delivery-plan.js';
import { actor, id, instant, object, repositoryOf, text, type Json, type NormalizeContext } from './payload-fields.js';

/**
 * `star` (GitHub Docs: star): `created` → a `star` activity by the sender keyed
 * `star:<repository id>:<account id>`, at `starred_at`; a star given again after a removal
 * re-activates the same activity. `deleted` marks that activity removed at the receive time
 * (the payload's `starred_at` is null then). A deleted account's star is keyed under the ghost id.
 */
export function normalizeStar(payload: Json, context: NormalizeContext): DeliveryPlan {
  const repository = repositoryOf(payload);
  if (!repository) return ignoredPlan('star without a repository');
  const sender = actor(payload.sender);
  const sourceKey = starKey(repository.id, sender && !isDeletedAccount(sender) ? sender.id : GHOST_ACCOUNT_ID);
  const plan = processedPlan(repository);
  if (payload.action === 'created') {
    plan.activities.push(githubActivity('star', sourceKey, sender, instant(payload.starred_at) ?? context.receivedAt, repository.id, {}));
    plan.restorations.push(sourceKey);
  } else if (payload.action === 'deleted') {
    plan.removals.push({ sourceKey, removedAt: context.receivedAt });
  } else {
    return ignoredPlan(`star ${String(payload.action)}`);
  }
  return plan;
}

/**
 * `fork` (GitHub Docs: fork) → a `fork` activity by the sender keyed by the new repository's id
 * (`fork:<forkee id>`), at the fork's `created_at`.
 */
export function normalizeFork(payload: Json, context: NormalizeContext): DeliveryPlan {
  const repository = repositoryOf(payload);
  const forkee = object(payload.forkee);
  const forkId = id(forkee?.id);
  if (!repository || !forkee || forkId === null) return ignoredPlan('fork without a repository or forkee');
  const plan = processedPlan(repository);
  plan.activities.push(
    githubActivity('fork', forkKey(forkId), actor(payload.sender), instant(forkee.created_at) ?? context.receivedAt, repository.id, {
      fork_id: forkId,
      full_name: text(forkee.full_name),
    }),
  );
  return plan;
}

/**
 * `release` `published` (GitHub Docs: release) → a `release` activity by the release's author
 * keyed `release:<id>`, at `published_at`. Other actions (created as draft, edited...) are ignored.
 */
export function normalizeRelease(payload: Json, context: NormalizeContext): DeliveryPlan {
  if (payload.action !== 'published') return ignoredPlan(`release ${String(payload.action)}`);
  const repository = repositoryOf(payload);
  const release = object(payload.release);
  const releaseId = id(release?.id);
  if (!repository || !release || releaseId === null) return ignoredPlan('release without a repository or release');
  const plan = processedPlan(repository);
  const occurredAt = instant(release.published_at) ?? instant(release.created_at) ?? context.receivedAt;
  plan.activities.push(
    githubActivity('release', releaseKey(releaseId), actor(release.author), occurredAt, repository.id, {
      tag_name: text(release.tag_name),
      name: text(release.name),
      url: text(release.html_url),
    }),
  );
  return plan;
}

/**
 * `repository` (GitHub Docs: repository): `renamed` and `transferred` (and other changes of an
 * existing repository) update the row by numeric id, owner and name included; `deleted` is
 * ignored (the row and its history stay).
 */
export function normalizeRepository(payload: Json): DeliveryPlan {
  if (payload.action === 'deleted') return ignoredPlan('repository deleted');
  const repository = repositoryOf(payload, true);
  return repository ? processedPlan(repository) : ignoredPlan('repository event without a repository');
}
