import { isDeletedAccount, type ActivityInput } from '#libs/members';
import { issueKey } from '../activity-keys.js';
import { restActor } from './rest-actor.js';
import type { RestIssue, RestLabel } from './rest-shapes.js';

/**
 * Label names that offer an issue to newcomers, compared after lower-casing and turning runs of
 * non-letters into one space ("Good-First-Issue" = "good first issue"). GitHub's defaults are
 * "good first issue" and "help wanted" (GitHub Docs, "Encouraging helpful contributions to your
 * project with labels"). Mirrored by the SQL function `is_newcomer_label` (migration
 * SyncResources), which flags `issue.newcomer_friendly`.
 */
export const NEWCOMER_LABELS: ReadonlySet<string> = new Set(['good first issue', 'help wanted', 'good first bug', 'first timers only']);

/** True when a label name offers the issue to newcomers (see {@link NEWCOMER_LABELS}). */
export function isNewcomerLabel(name: string): boolean {
  return NEWCOMER_LABELS.has(name.toLowerCase().replace(/[^a-z]+/g, ' ').trim());
}

/**
 * True for an item of `GET /repos/{o}/{r}/issues` that is a pull request: GitHub marks those by
 * the presence of a `pull_request` key (GitHub Docs, "List repository issues": "you can identify
 * pull requests by the pull_request key"). Such items are never stored as issues (case S3).
 */
export function isPullRequestItem(item: Pick<RestIssue, 'pull_request'>): boolean {
  return item.pull_request !== undefined && item.pull_request !== null;
}

/** An `issue` row. */
export interface IssueRow {
  id: number;
  repositoryId: number;
  number: number;
  title: string;
  state: 'open' | 'closed';
  /** null for a deleted account. */
  authorAccountId: number | null;
  labels: string[];
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** What one REST issue becomes. */
export interface IssueMapping {
  row: IssueRow;
  activities: ActivityInput[];
}

/** Label names of an issue (objects or bare names), in GitHub's order, without blanks or repeats. */
export function labelNames(labels: RestIssue['labels']): string[] {
  const names = (labels ?? []).map((label) => (typeof label === 'string' ? label : (label as RestLabel).name)).filter((name) => !!name?.trim());
  return [...new Set(names)];
}

/**
 * Maps an item of "List repository issues" to its row and activities, with the keys the webhook
 * path uses; null for a pull request (it has a `pull_request` key; the pull request sync owns it):
 * - `issue_opened` at `created_at`, crediting the author;
 * - `issue_closed` at `closed_at` when the issue is closed, keyed with that instant, crediting
 *   `closed_by` when the object has it (only "Get an issue" does) else the author; a webhook that
 *   reported the closer first keeps its row.
 * A deleted author (`user: null`) credits the deleted-account sentinel (case I1). Instants are UTC.
 */
export function mapIssue(issue: RestIssue, repositoryId: number): IssueMapping | null {
  if (isPullRequestItem(issue)) return null;
  const author = restActor(issue.user);
  const closedAt = issue.closed_at ? new Date(issue.closed_at) : null;
  const state: 'open' | 'closed' = issue.state === 'closed' ? 'closed' : 'open';
  const facts = { number: issue.number, title: issue.title, url: issue.html_url ?? null };
  const activities: ActivityInput[] = [
    {
      type: 'issue_opened',
      occurredAt: new Date(issue.created_at),
      repositoryId,
      actor: { kind: 'github', account: author },
      source: 'api',
      sourceKey: issueKey(repositoryId, issue.number, 'opened'),
      facts,
    },
  ];
  if (state === 'closed' && closedAt) {
    const closer = issue.closed_by !== undefined ? restActor(issue.closed_by) : author;
    activities.push({
      type: 'issue_closed',
      occurredAt: closedAt,
      repositoryId,
      actor: { kind: 'github', account: closer },
      source: 'api',
      sourceKey: issueKey(repositoryId, issue.number, 'closed', closedAt),
      // the author's id beside the login: a deletion of the author's data finds (and a trigger clears) it by id
      facts: { ...facts, author: author?.login ?? null, author_id: author?.id ?? null },
    });
  }
  return {
    row: {
      id: issue.id,
      repositoryId,
      number: issue.number,
      title: issue.title,
      state,
      authorAccountId: author && !isDeletedAccount(author) ? author.id : null,
      labels: labelNames(issue.labels),
      createdAt: new Date(issue.created_at),
      updatedAt: new Date(issue.updated_at),
      closedAt,
    },
    activities,
  };
}

/** A `repository_label` row. */
export interface LabelRow {
  repositoryId: number;
  name: string;
  githubId: number | null;
  color: string;
  description: string | null;
  isDefault: boolean;
}

/** Maps an item of "List labels for a repository" to its row. */
export function mapLabel(label: RestLabel, repositoryId: number): LabelRow {
  return {
    repositoryId,
    name: label.name,
    githubId: label.id ?? null,
    color: label.color ?? '',
    description: label.description ?? null,
    isDefault: label.default ?? false,
  };
}
