import type { DataSource } from 'typeorm';

/** A member invited to the flow's hackathon. */
export interface Participant {
  memberId: string;
  login: string;
}

/**
 * The calendar month (UTC) of the synced data with the most distinct persons opening pull
 * requests (latest month on a tie), and those authors, most pull requests first (ties by login).
 */
export async function busiestPullRequestMonth(db: DataSource): Promise<{ startDate: string; endDate: string; authors: Participant[] }> {
  const [month]: Array<{ month: string }> = await db.query(
    `SELECT to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month
       FROM pull_request p JOIN github_account g ON g.id = p.author_account_id JOIN member m ON m.id = g.member_id AND m.kind = 'person'
      GROUP BY 1 ORDER BY count(DISTINCT m.id) DESC, 1 DESC LIMIT 1`,
  );
  const [year, monthNumber] = month.month.split('-').map(Number);
  const start = new Date(Date.UTC(year, monthNumber - 1, 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  const authors: Participant[] = await db.query(
    `SELECT m.id AS "memberId", m.login FROM pull_request p JOIN github_account g ON g.id = p.author_account_id
       JOIN member m ON m.id = g.member_id AND m.kind = 'person' AND m.login IS NOT NULL
      WHERE p.created_at >= $1 AND p.created_at < $2::timestamptz + interval '1 day'
      GROUP BY m.id, m.login ORDER BY count(*) DESC, m.login`,
    [start, end],
  );
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { startDate: day(start), endDate: day(end), authors };
}

/** Pull requests the members opened in `[startsAt, endsAt)` (as stored by the sync), by repository and number. */
export async function pullRequestsInWindow(
  db: DataSource,
  members: readonly Participant[],
  startsAt: string,
  endsAt: string,
): Promise<Array<{ fullName: string; number: number }>> {
  return db.query(
    `SELECT r.full_name AS "fullName", p.number FROM pull_request p JOIN repository r ON r.id = p.repository_id
       JOIN github_account g ON g.id = p.author_account_id
      WHERE g.member_id = ANY($1::uuid[]) AND p.created_at >= $2 AND p.created_at < $3
      ORDER BY r.full_name, p.number`,
    [members.map((m) => m.memberId), startsAt, endsAt],
  );
}

/** Polls `check` every 200 ms until it returns a truthy value (or fails after `timeoutMs`). */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The retention figures recomputed from their definitions (issue 5, "30 and 90 days later"):
 * first-time contributors are participants whose first pull request merged or commit (not a merge)
 * in the ecosystem's repositories falls inside the window; still contributing at end + N days
 * means one in the 30 days ending then. Computed from the activity table, independently of the
 * stage transitions the service reads.
 */
export async function retentionFromActivities(
  db: DataSource,
  members: readonly Participant[],
  window: { startDate: string; endDate: string },
): Promise<{ firstTimeContributors: number; stillContributing: Array<{ days: number; count: number }> }> {
  const startsAt = new Date(`${window.startDate}T00:00:00+14:00`);
  const endsAt = new Date(new Date(`${window.endDate}T23:59:59-12:00`).getTime() + 1000);
  const accepted = `a.member_id = ANY($1::uuid[]) AND a.removed_at IS NULL
    AND (a.type = 'pull_request_merged' OR (a.type = 'commit' AND coalesce(a.facts->>'merge' = 'true', false) = false))`;
  const ids = members.map((m) => m.memberId);
  const [first] = await db.query(
    `SELECT count(*)::int AS count FROM (SELECT a.member_id, min(a.occurred_at) AS first FROM activity a WHERE ${accepted} GROUP BY 1) f
      WHERE f.first >= $2 AND f.first < $3`,
    [ids, startsAt, endsAt],
  );
  const stillContributing = [];
  for (const days of [30, 90]) {
    const at = new Date(endsAt.getTime() + days * 86_400_000);
    const [row] = await db.query(
      `SELECT count(DISTINCT a.member_id)::int AS count FROM activity a WHERE ${accepted} AND a.occurred_at > $2 AND a.occurred_at <= $3`,
      [ids, new Date(at.getTime() - 30 * 86_400_000), at],
    );
    stillContributing.push({ days, count: row.count });
  }
  return { firstTimeContributors: first.count, stillContributing };
}
