import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * The state a GitHub sync leaves behind, in a form two databases can be compared by: surrogate keys
 * (member and identity UUIDs, activity serials) are replaced by natural ones (an identity's
 * `platform:key`, a member's smallest identity, an activity's source key), and the instants a row was
 * written at (`created_at`, `first_seen_at`, `evaluated_at`, a stargazer listing's `relistedAt`, ...) are
 * left out, as are a resource's request counters (a run that resumes asks again for the page in flight
 * when it died). ETags are compared as present or not: each side has a simulator of its own, and the
 * bodies they hash carry its URL.
 */

/** Natural keys of members and identities, as CTEs the table queries join. */
const KEYS = `WITH ik AS (SELECT id, platform || ':' || key AS key, member_id FROM identity),
  mk AS (SELECT m.id, coalesce((SELECT min(ik.key) FROM ik WHERE ik.member_id = m.id), 'login:' || m.login, m.kind || ':' || m.display_name) AS key FROM member m)`;

/** A condition true when any of the counters (and the `at_*` stage counts) is not zero. */
function nonZero(...columns: string[]): string {
  return [...columns, 'at_observer', 'at_user', 'at_first', 'at_regular', 'at_maintainer', 'at_lapsed'].map((column) => `${column} <> 0`).join(' OR ');
}

/** One query per table: each row a jsonb of the columns that say what was synced. */
export const SYNCED_TABLES: Record<string, string> = {
  repository: `SELECT to_jsonb(r) - '{ecosystem_id,first_seen_at,updated_at,state_observed_at}'::text[] AS row FROM repository r`,
  tracked_source_repository: `SELECT jsonb_build_object('source', s.kind || ':' || s.name, 'repository', t.repository_id) AS row
    FROM tracked_source_repository t JOIN tracked_source s ON s.id = t.tracked_source_id`,
  sync_state: `SELECT (to_jsonb(s) - '{last_started_at,last_success_at,requests,not_modified,etag,cursor}'::text[])
      || jsonb_build_object('etag', s.etag IS NOT NULL, 'cursor', s.cursor - 'relistedAt') AS row FROM sync_state s`,
  sync_gap: `SELECT to_jsonb(g) - '{id,found_at}'::text[] AS row FROM sync_gap g`,
  repository_label: `SELECT to_jsonb(l) AS row FROM repository_label l`,
  git_commit: `${KEYS} SELECT (to_jsonb(c) - 'author_identity_id') || jsonb_build_object('author', ik.key) AS row
    FROM git_commit c LEFT JOIN ik ON ik.id = c.author_identity_id`,
  git_commit_repository: `SELECT to_jsonb(c) AS row FROM git_commit_repository c`,
  pull_request: `SELECT (to_jsonb(p) - 'details_etag') || jsonb_build_object('details_etag', p.details_etag IS NOT NULL) AS row FROM pull_request p`,
  issue: `SELECT to_jsonb(i) AS row FROM issue i`,
  github_account: `${KEYS} SELECT (to_jsonb(a) - '{member_id,first_seen_at,updated_at,login_set_at}'::text[]) || jsonb_build_object('member', mk.key) AS row
    FROM github_account a LEFT JOIN mk ON mk.id = a.member_id`,
  member: `${KEYS} SELECT (to_jsonb(m) - '{id,created_at,updated_at,merged_into_id}'::text[]) || jsonb_build_object('key', mk.key, 'merged_into', survivor.key) AS row
    FROM member m JOIN mk ON mk.id = m.id LEFT JOIN mk survivor ON survivor.id = m.merged_into_id`,
  identity: `${KEYS} SELECT (to_jsonb(i) - '{id,member_id,created_at}'::text[]) || jsonb_build_object('member', mk.key) AS row
    FROM identity i JOIN mk ON mk.id = i.member_id`,
  member_merge_suggestion: `${KEYS} SELECT (to_jsonb(s) - '{id,member_id,other_member_id,merge_id,created_at,decided_at,evidence}'::text[])
      || jsonb_build_object('member', a.key, 'other', b.key, 'evidence', (s.evidence - 'identityId') || jsonb_build_object('identity', ik.key)) AS row
    FROM member_merge_suggestion s JOIN mk a ON a.id = s.member_id JOIN mk b ON b.id = s.other_member_id
    LEFT JOIN ik ON ik.id::text = s.evidence->>'identityId'`,
  activity: `${KEYS} SELECT (to_jsonb(a) - '{id,identity_id,member_id,created_at}'::text[]) || jsonb_build_object('identity', ik.key, 'member', mk.key) AS row
    FROM activity a LEFT JOIN ik ON ik.id = a.identity_id LEFT JOIN mk ON mk.id = a.member_id`,
  activity_daily: `${KEYS} SELECT (to_jsonb(d) - 'member_id') || jsonb_build_object('member', mk.key) AS row FROM activity_daily d LEFT JOIN mk ON mk.id = d.member_id`,
  activity_member_monthly: `${KEYS} SELECT (to_jsonb(d) - 'member_id') || jsonb_build_object('member', mk.key) AS row
    FROM activity_member_monthly d LEFT JOIN mk ON mk.id = d.member_id`,
  member_stage: `${KEYS} SELECT (to_jsonb(s) - '{ecosystem_id,member_id,evaluated_at}'::text[]) || jsonb_build_object('member', mk.key) AS row
    FROM member_stage s JOIN mk ON mk.id = s.member_id`,
  member_stage_transition: `${KEYS} SELECT (to_jsonb(t) - '{id,ecosystem_id,member_id,activity_id,created_at}'::text[])
      || jsonb_build_object('member', mk.key, 'activity', a.source_key) AS row
    FROM member_stage_transition t JOIN mk ON mk.id = t.member_id LEFT JOIN activity a ON a.id = t.activity_id`,
  stage_member_repository: `${KEYS} SELECT (to_jsonb(s) - '{ecosystem_id,member_id}'::text[]) || jsonb_build_object('member', mk.key) AS row
    FROM stage_member_repository s JOIN mk ON mk.id = s.member_id`,
  // cells hold counts changed by deltas: a cell back at zero everywhere is the same as no cell
  member_stage_cell: `SELECT to_jsonb(c) - 'ecosystem_id' AS row FROM member_stage_cell c WHERE ${nonZero('entered', 'reached_user', 'reached_first', 'reached_regular', 'reached_maintainer')}`,
  member_stage_cohort_cell: `SELECT to_jsonb(c) - 'ecosystem_id' AS row FROM member_stage_cohort_cell c WHERE ${nonZero('size')}`,
  member_stage_daily: `SELECT to_jsonb(c) - 'ecosystem_id' AS row FROM member_stage_daily c WHERE ${nonZero('entered', 'reached_user', 'reached_first', 'reached_regular', 'reached_maintainer')}`,
};

/** A table's rows as sorted JSON lines. */
export async function tableRows(db: pg.Pool, table: string): Promise<string[]> {
  const { rows } = await db.query<{ row: unknown }>(SYNCED_TABLES[table]);
  return rows.map((r) => JSON.stringify(r.row)).sort();
}

/** Per table: `<rows> rows, sha256 <hash of the sorted JSON lines>`. */
export async function stateDigest(db: pg.Pool): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  for (const table of Object.keys(SYNCED_TABLES)) {
    const lines = await tableRows(db, table);
    digest[table] = `${lines.length} rows, sha256 ${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return digest;
}

/** The rows of `table` only one of the two databases holds (a few of each side), for a readable failure. */
export async function rowDifference(a: pg.Pool, b: pg.Pool, table: string, limit = 5): Promise<{ onlyInFirst: string[]; onlyInSecond: string[] }> {
  const [left, right] = [await tableRows(a, table), await tableRows(b, table)];
  const remaining = new Map<string, number>();
  for (const line of right) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  const onlyInFirst: string[] = [];
  for (const line of left) {
    const n = remaining.get(line) ?? 0;
    if (n > 0) remaining.set(line, n - 1);
    else onlyInFirst.push(line);
  }
  const onlyInSecond = [...remaining].flatMap(([line, n]) => Array<string>(n).fill(line));
  return { onlyInFirst: onlyInFirst.slice(0, limit), onlyInSecond: onlyInSecond.slice(0, limit) };
}
