import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { thirdPartyDataDir } from '../../apps/github-sim/src/testing/sim-data.js';

/** The 125 real GH Archive events (cncf/devstats, Apache-2.0): 64 timeline, 61 Events API. */
export const SAMPLE_FILE = join(thirdPartyDataDir(), 'devstats-analysis.gharchive-events.ndjson');

export type RawEvent = Record<string, any>;

/** The sample's events, in file order. */
export function sampleEvents(): RawEvent[] {
  return readFileSync(SAMPLE_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

export const isTimeline = (event: RawEvent) => typeof event.actor === 'string';
export const repositoryIdOf = (event: RawEvent): number => (isTimeline(event) ? event.repository.id : event.repo.id);
export const actorLoginOf = (event: RawEvent): string => (isTimeline(event) ? event.actor : event.actor.login);
const second = (value: string) => new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The account id an event credits its actor with: the Events API actor's id; for a timeline
 * event, the id of any account object in the payload with the actor's login, else `fallback`
 * (the id the test stores for that login).
 */
export function actorIdOf(event: RawEvent, fallback: (login: string) => number): number {
  if (!isTimeline(event)) return event.actor.id;
  const login = event.actor.toLowerCase();
  const stack: unknown[] = [event.payload];
  while (stack.length) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    const object = value as Record<string, unknown>;
    if (typeof object.login === 'string' && object.login.toLowerCase() === login && typeof object.id === 'number') return object.id;
    stack.push(...Object.values(object));
  }
  return fallback(event.actor);
}

/**
 * The activities (type and source key) one event should give, computed from the raw event by
 * GitHub's documented payload fields, per event type, independently of the importer.
 */
export function expectedActivities(event: RawEvent, accountIdOf: (login: string) => number): Array<{ type: string; key: string }> {
  const repo = repositoryIdOf(event);
  const p = event.payload ?? {};
  switch (event.type) {
    case 'PushEvent': {
      const commits: Array<{ sha: string; distinct: boolean }> = isTimeline(event)
        ? (p.shas ?? []).map((entry: unknown[]) => ({ sha: entry[0], distinct: entry[4] !== false }))
        : (p.commits ?? []).map((commit: RawEvent) => ({ sha: commit.sha, distinct: commit.distinct !== false }));
      return commits.filter((commit) => commit.distinct).map((commit) => ({ type: 'commit', key: `commit:${commit.sha}` }));
    }
    case 'PullRequestEvent': {
      const pr = p.pull_request;
      if (p.action === 'opened') return [{ type: 'pull_request_opened', key: `pull_request:${repo}:${pr.number}:opened` }];
      if (p.action === 'closed' && pr.merged) return [{ type: 'pull_request_merged', key: `pull_request:${repo}:${pr.number}:merged` }];
      if (p.action === 'closed') return [{ type: 'pull_request_closed', key: `pull_request:${repo}:${pr.number}:closed:${second(pr.closed_at)}` }];
      if (p.action === 'reopened') return [{ type: 'pull_request_reopened', key: `pull_request:${repo}:${pr.number}:reopened:${second(pr.updated_at)}` }];
      return [];
    }
    case 'IssuesEvent': {
      const number = typeof p.issue === 'object' ? p.issue.number : p.number;
      if (p.action === 'opened') return [{ type: 'issue_opened', key: `issue:${repo}:${number}:opened` }];
      const at = typeof p.issue === 'object' ? (p.action === 'closed' ? p.issue.closed_at : p.issue.updated_at) : event.created_at;
      if (p.action === 'closed' || p.action === 'reopened') return [{ type: `issue_${p.action}`, key: `issue:${repo}:${number}:${p.action}:${second(at)}` }];
      return [];
    }
    case 'IssueCommentEvent':
      return [{ type: 'issue_comment', key: `issue_comment:${p.comment?.id ?? p.comment_id}` }];
    case 'PullRequestReviewEvent':
      return [{ type: 'review', key: `review:${p.review.id}` }];
    case 'PullRequestReviewCommentEvent':
      return [{ type: 'review_comment', key: `review_comment:${p.comment.id}` }];
    case 'WatchEvent':
      return [{ type: 'star', key: `star:${repo}:${actorIdOf(event, accountIdOf)}` }];
    case 'ForkEvent':
      return p.forkee ? [{ type: 'fork', key: `fork:${p.forkee.id}` }] : [];
    case 'ReleaseEvent':
      return p.action === 'published' ? [{ type: 'release', key: `release:${p.release.id}` }] : [];
    default:
      return [];
  }
}

/** Inserts the repository of every event into ecosystem `ecosystemId` (once each), as a sync would have stored them. */
export async function insertEventRepositories(db: { query(sql: string, params: unknown[]): Promise<unknown> }, ecosystemId: number, events: RawEvent[]): Promise<void> {
  for (const event of events) {
    const name: string = isTimeline(event) ? `${event.repository.owner}/${event.repository.name}` : event.repo.name;
    await db.query(
      `INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, split_part($3, '/', 1), split_part($3, '/', 2), $3)
       ON CONFLICT (id) DO NOTHING`,
      [repositoryIdOf(event), ecosystemId, name],
    );
  }
}
