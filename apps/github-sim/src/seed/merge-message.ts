/** A pull-request merge commit's first line, as GitHub's merge button writes it. */
export interface MergeMessage {
  number: number;
  /** Owner of the head repository (the fork's owner, or the base owner for a same-repository branch). */
  login: string;
  /** Head branch name; may contain slashes. */
  branch: string;
}

const MERGE_PULL_REQUEST = /^Merge pull request #(\d+) from ([^/\s]+)\/(\S+)\s*$/;

/**
 * Parses "Merge pull request #N from LOGIN/BRANCH" (the merge-commit title GitHub's "Create a merge commit"
 * writes); returns null for any other message, including squash and rebase merges, which leave no such line.
 */
export function parseMergeMessage(firstLine: string): MergeMessage | null {
  const match = MERGE_PULL_REQUEST.exec(firstLine);
  if (!match) return null;
  return { number: Number(match[1]), login: match[2], branch: match[3] };
}
