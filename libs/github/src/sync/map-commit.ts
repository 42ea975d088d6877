import { parseCoAuthors, parseNoreplyEmail, type ActivityInput, type GithubActor } from '#libs/members';
import { commitCoAuthorKey, commitKey } from '../activity-keys.js';
import type { CoAuthor } from '../entities/git-commit.entity.js';
import type { RestAccount, RestCommit } from './rest-shapes.js';

/** A `git_commit` row, before the author identity is known. */
export interface GitCommitRow {
  sha: string;
  /** The repository the commit was first seen in. */
  repositoryId: number;
  authorName: string | null;
  /** UTC instant of the author date. */
  authoredAt: Date;
  committedAt: Date | null;
  messageHeadline: string;
  coAuthors: CoAuthor[];
  isMerge: boolean;
}

/** What one REST commit becomes: its row and the activities it credits. */
export interface CommitMapping {
  row: GitCommitRow;
  /** The author's `commit` activity first, then one per credited co-author. */
  activities: ActivityInput[];
}

const HEADLINE_MAX = 300;

/**
 * The account GitHub linked to a commit signature: the REST `author`/`committer`, which is
 * `null` when GitHub could not link the e-mail and sometimes `{}`; both give null.
 */
export function linkedAccount(value: RestAccount | Record<string, never> | null | undefined): GithubActor | null {
  if (!value || typeof (value as RestAccount).id !== 'number' || !(value as RestAccount).login) return null;
  const account = value as RestAccount;
  return { id: account.id, login: account.login, type: account.type ?? null, avatar_url: account.avatar_url ?? null };
}

/**
 * Maps a commit of `GET /repos/{owner}/{repo}/commits` to its `git_commit` row and activities:
 * - `commit:<sha>` credits the author: GitHub's linked account when there is one (the API id
 *   wins over the e-mail), else the git name and e-mail (resolved by IdentityService);
 * - `commit:<sha>:co:<e-mail>` credits each co-author of the final trailer block (case I5;
 *   a noreply co-author resolves to its account id). The author's own trailer is not credited
 *   twice; trailers with no usable address (`Name <>`, no `@`) and `noreply@github.com` credit
 *   nobody.
 * Activities are dated at the author date (UTC) and carry no e-mail address in their facts.
 * @throws TypeError when the commit has neither an author nor a committer date.
 */
export function mapCommit(commit: RestCommit, repositoryId: number): CommitMapping {
  const sha = commit.sha.toLowerCase();
  const author = commit.commit.author;
  const dateText = author?.date ?? commit.commit.committer?.date;
  if (!dateText) throw new TypeError(`commit ${sha} has no author or committer date`);
  const authoredAt = new Date(dateText);
  const committedAt = commit.commit.committer?.date ? new Date(commit.commit.committer.date) : null;
  const message = commit.commit.message ?? '';
  const messageHeadline = (message.split(/\r?\n/, 1)[0] ?? '').trim().slice(0, HEADLINE_MAX);
  const coAuthors = parseCoAuthors(message);
  const isMerge = commit.parents.length > 1;
  const account = linkedAccount(commit.author);
  const facts = { sha, headline: messageHeadline, ...(isMerge ? { merge: true } : {}) };

  const activities: ActivityInput[] = [
    {
      type: 'commit',
      occurredAt: authoredAt,
      repositoryId,
      actor: { kind: 'commit-author', account, name: author?.name ?? null, email: author?.email ?? null },
      source: 'api',
      sourceKey: commitKey(sha),
      facts,
    },
  ];
  for (const coAuthor of coAuthors) {
    if (!isCreditableAddress(coAuthor.email) || isSamePerson(coAuthor.email, author?.email ?? null, account)) continue;
    activities.push({
      type: 'commit',
      occurredAt: authoredAt,
      repositoryId,
      actor: { kind: 'commit-author', account: null, name: coAuthor.name || null, email: coAuthor.email },
      source: 'api',
      sourceKey: commitCoAuthorKey(sha, coAuthor.email),
      facts: { ...facts, coAuthor: true },
    });
  }
  return {
    row: {
      sha,
      repositoryId,
      authorName: author?.name?.trim() || null,
      authoredAt,
      committedAt,
      messageHeadline,
      coAuthors,
      isMerge,
    },
    activities,
  };
}

/** An address a co-author credit can go to: `local@domain`, not GitHub's web-flow address. */
function isCreditableAddress(email: string): boolean {
  const at = email.lastIndexOf('@');
  return at > 0 && at < email.length - 1 && email.trim().toLowerCase() !== 'noreply@github.com';
}

/** True when a co-author trailer names the commit's own author (same address or same account). */
function isSamePerson(coEmail: string, authorEmail: string | null, account: GithubActor | null): boolean {
  const co = coEmail.trim().toLowerCase();
  if (authorEmail && co === authorEmail.trim().toLowerCase()) return true;
  const noreply = parseNoreplyEmail(co);
  if (!noreply) return false;
  const authorNoreply = parseNoreplyEmail(authorEmail);
  if (noreply.id !== null) return noreply.id === account?.id || noreply.id === authorNoreply?.id;
  const login = noreply.login.toLowerCase();
  return login === account?.login.toLowerCase() || login === authorNoreply?.login.toLowerCase();
}
