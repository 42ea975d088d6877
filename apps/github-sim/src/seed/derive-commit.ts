import type { AccountRegistry } from './accounts.js';
import type { RawCommit } from './data-files.js';
import { toGithubTimestamp } from './github-time.js';
import type { CommitRecord } from './snapshot.types.js';

/**
 * Rebuilds a commit message from what the export keeps: the first line, and when co-authors were parsed, a blank
 * line followed by one `Co-authored-by: Name <email>` trailer each (GitHub's documented trailer form). The body
 * between subject and trailers is lost in the export, so this is a reconstruction, not the original message.
 */
export function reconstructMessage(firstLine: string, coAuthors: ReadonlyArray<{ name: string; email: string }>): string {
  if (coAuthors.length === 0) return firstLine;
  const trailers = coAuthors.map((c) => `Co-authored-by: ${c.name} <${c.email}>`);
  return `${firstLine}\n\n${trailers.join('\n')}`;
}

/**
 * Turns an exported commit into the sim's record: dates to UTC `Z`, message reconstructed, and `author`/`committer`
 * accounts linked only when the e-mail is a noreply form that identifies an account (as GitHub does; any other
 * address gives null, GitHub's answer for e-mails it cannot link). `index` is the position in the export.
 */
export function deriveCommit(raw: RawCommit, index: number, accounts: AccountRegistry): CommitRecord {
  const committerDate = toGithubTimestamp(raw.committer.date);
  return {
    sha: raw.sha,
    parents: raw.parents,
    author: { name: raw.author.name, email: raw.author.email, date: toGithubTimestamp(raw.author.date) },
    committer: { name: raw.committer.name, email: raw.committer.email, date: committerDate },
    message: reconstructMessage(raw.message_first_line, raw.co_authors),
    firstLine: raw.message_first_line,
    authorAccount: accounts.forGitIdentity(raw.author),
    committerAccount: accounts.forGitIdentity(raw.committer),
    onDefaultBranch: raw.on_default_branch,
    reachableFrom: raw.reachable_from,
    pullHeads: raw.pull_heads,
    committedAtMs: Date.parse(committerDate),
    index,
  };
}
