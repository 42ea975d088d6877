import { parseCoAuthors, type ActivityInput } from '#libs/members';
import { commitCoAuthorKey, commitKey } from '../../activity-keys.js';
import { ignoredPlan, processedPlan, type CommitUpsert, type DeliveryPlan } from './delivery-plan.js';
import { instant, object, repositoryOf, text, type Json, type NormalizeContext } from './payload-fields.js';

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * `push` (GitHub Docs, "Webhook events and payloads": push). Each commit of `commits[]` with
 * `distinct: true` (first pushed to this repository; `false` means it was already on another
 * branch) becomes a `git_commit` row linked to the repository and a `commit` activity keyed
 * `commit:<sha>` — the key the API sync uses, so the commit is one contribution whichever
 * source sees it first. Push payloads name the author's login (`author.username`) but no account
 * id, so the author is resolved from the git name and e-mail (a noreply address carries the
 * id). Each co-author of the message's final trailer block is credited under its own key
 * `commit:<sha>:co:<e-mail>` (case I5); a trailer naming the author's own address, or with no
 * usable address (`Name <>`), credits nobody. occurredAt is the commit's `timestamp` (UTC).
 */
export function normalizePush(payload: Json, context: NormalizeContext): DeliveryPlan {
  const repository = repositoryOf(payload);
  if (!repository) return ignoredPlan('push without a repository');
  const plan = processedPlan(repository);
  const commits = Array.isArray(payload.commits) ? payload.commits : [];
  for (const value of commits) {
    const commit = object(value);
    const sha = text(commit?.id)?.toLowerCase();
    if (!commit || !sha || !FULL_SHA.test(sha) || commit.distinct === false) continue;
    const author = object(commit.author);
    const message = text(commit.message) ?? '';
    const authoredAt = instant(commit.timestamp) ?? context.receivedAt;
    const authorEmail = text(author?.email)?.trim() || null;
    const upsert: CommitUpsert = {
      sha,
      repositoryId: repository.id,
      author: { kind: 'commit-author', account: null, name: text(author?.name), email: authorEmail },
      authoredAt,
      messageHeadline: message.split('\n')[0].trim(),
      coAuthors: parseCoAuthors(message),
    };
    plan.commits.push(upsert);
    const facts = { sha, headline: upsert.messageHeadline, login: text(author?.username) };
    plan.activities.push(commitActivity(upsert, commitKey(sha), upsert.author, facts));
    for (const coAuthor of upsert.coAuthors) {
      const email = coAuthor.email.trim();
      if (!email.includes('@') || email.toLowerCase() === authorEmail?.toLowerCase()) continue;
      plan.activities.push(
        commitActivity(upsert, commitCoAuthorKey(sha, email), { kind: 'commit-author', account: null, name: coAuthor.name || null, email }, {
          sha,
          headline: upsert.messageHeadline,
          co_author_of: sha,
        }),
      );
    }
  }
  return plan;
}

function commitActivity(
  commit: CommitUpsert,
  sourceKey: string,
  actor: CommitUpsert['author'],
  facts: Record<string, unknown>,
): ActivityInput {
  return { type: 'commit', occurredAt: commit.authoredAt, repositoryId: commit.repositoryId, actor, source: 'webhook', sourceKey, facts };
}
