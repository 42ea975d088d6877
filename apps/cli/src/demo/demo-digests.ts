import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { simpleParser } from 'mailparser';
import type { DataSource } from 'typeorm';
import { graphqlRequest } from './graphql-client.js';
import { waitUntil } from './wait-until.js';

const SET_PREFERENCES = `mutation($member: ID!, $input: MemberEmailPreferencesInput!) {
  setMemberEmailPreferences(memberId: $member, input: $input) { memberId email locale timeZone } }`;
const START_RUN = `mutation($week: String!) { startDigestRun(week: $week) { week members } }`;
const SENDS = `query($week: String!) { digestSends(week: $week, first: 100) { edges { node { memberId status email messageId reason lastError } } } }`;
const PREFERENCES = `query($member: ID!) { memberEmailPreferences(memberId: $member) { digestOptIn unsubscribedAt } }`;

/** Ledger statuses after which a send changes no more on its own. */
const SETTLED = new Set(['SENT', 'EMPTY', 'SKIPPED', 'BOUNCED', 'FAILED', 'UNCERTAIN']);
/** Han characters: a subject written in Chinese. */
const CJK = /[\u4e00-\u9fff]/;
/** Most members the demo opts in (the week's active people first, then the hackathon's participants). */
const RECIPIENTS = 12;

interface LedgerRow {
  memberId: string;
  status: string;
  email: string | null;
  messageId: string;
  reason: string | null;
  lastError: string | null;
}

interface Recipient {
  memberId: string;
  login: string;
  hasAddress: boolean;
}

/**
 * The digest step of the demo, through GraphQL as an admin: the last ISO week (UTC) of the RWKV
 * history, the people active in it and the hackathon's participants opted in (every other one in
 * Simplified Chinese on Shanghai time, the rest in English on Berlin time), the week's digests
 * started and waited for, the ledger summed up (one row per member), and one member unsubscribed
 * with the RFC 8058 one-click POST to the https URI of their own message's `List-Unsubscribe`
 * header. Messages go to the worker's file outbox (`outboxDir`) unless SMTP_URL is set. A second
 * demo run finds the week's ledger taken and sends nothing again.
 * @returns lines for the demo to print.
 */
export async function runDemoDigests(graphqlUrl: string, token: string, dataSource: DataSource, outboxDir: string, timeoutMs: number): Promise<string[]> {
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => graphqlRequest<T>(graphqlUrl, query, variables, token);
  const week = await lastWeekOfHistory(dataSource);
  if (!week) return ['digest step skipped: no synced activity'];
  const lines: string[] = [];
  const existing = (await gql<{ digestSends: { edges: Array<{ node: LedgerRow }> } }>(SENDS, { week })).digestSends.edges;
  if (existing.length === 0) {
    const recipients = await chooseRecipients(dataSource, week);
    for (const [index, recipient] of recipients.entries()) {
      const chinese = index % 2 === 1;
      await gql(SET_PREFERENCES, {
        member: recipient.memberId,
        input: {
          digestOptIn: true,
          locale: chinese ? 'zh-CN' : 'en',
          timeZone: chinese ? 'Asia/Shanghai' : 'Europe/Berlin',
          // the RWKV export keeps hashed addresses; people known only by a noreply address get it in the demo's outbox
          ...(recipient.hasAddress ? {} : { email: `${recipient.login}@users.noreply.github.com` }),
        },
      });
    }
    const { startDigestRun } = await gql<{ startDigestRun: { members: number } }>(START_RUN, { week });
    lines.push(`digests for ${week}: ${recipients.length} members opted in (English, Berlin time / 简体中文, Shanghai time), ${startDigestRun.members} queued`);
  } else {
    lines.push(`digests for ${week}: sent in an earlier run (the ledger holds one row per member; nothing is sent twice)`);
  }

  let rows: LedgerRow[] = [];
  await waitUntil(
    `the digests of ${week}`,
    async () => {
      rows = (await gql<{ digestSends: { edges: Array<{ node: LedgerRow }> } }>(SENDS, { week })).digestSends.edges.map((edge) => edge.node);
      return rows.length > 0 && rows.every((row) => SETTLED.has(row.status)) ? true : undefined;
    },
    { timeoutMs },
  );
  const byStatus = new Map<string, number>();
  for (const row of rows) byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
  const members = new Set(rows.map((row) => row.memberId));
  lines.push(
    `  ledger: ${rows.length} rows for ${members.size} members (${[...byStatus].map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ')})`,
  );
  for (const row of rows.filter((r) => r.status === 'EMPTY').slice(0, 3)) lines.push(`  nothing sent to one member: ${row.reason}`);
  for (const row of rows.filter((r) => r.lastError && r.status !== 'SENT')) lines.push(`  ${row.status.toLowerCase()}: ${row.lastError}`);

  const messages = await outboxMessages(outboxDir, new Set(rows.filter((row) => row.status === 'SENT').map((row) => row.messageId)));
  for (const chinese of [false, true]) {
    const message = messages.find((m) => CJK.test(m.subject) === chinese);
    if (message) lines.push(`  ${chinese ? 'Chinese' : 'English'} digest: ${relative(process.cwd(), message.file)} — "${message.subject}"`);
  }
  const sample = messages[0];
  if (sample?.unsubscribeUrl) {
    const row = rows.find((r) => r.messageId === sample.messageId);
    const before = row && (await gql<{ memberEmailPreferences: { unsubscribedAt: string | null } | null }>(PREFERENCES, { member: row.memberId }));
    if (row && !before?.memberEmailPreferences?.unsubscribedAt) {
      // what a mail client does for RFC 8058 one-click: POST List-Unsubscribe=One-Click to the header's https URI
      const response = await fetch(sample.unsubscribeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      const after = await gql<{ memberEmailPreferences: { unsubscribedAt: string | null } | null }>(PREFERENCES, { member: row.memberId });
      lines.push(
        `  one-click unsubscribe from ${relative(process.cwd(), sample.file)} (RFC 8058 POST): HTTP ${response.status}, ` +
          `unsubscribed at ${after.memberEmailPreferences?.unsubscribedAt ?? 'never (failed)'}; their next week is not planned`,
      );
    }
  }
  const outbox = relative(process.cwd(), outboxDir) || '.';
  if (messages.length > 0 || !rows.some((row) => row.status === 'SENT')) {
    lines.push(`  outbox: ${outbox} (one .eml file per message: open it in a mail client)`);
  } else {
    // the ledger is the database's; the files are where the run that sent them wrote them (another clone, or removed)
    lines.push(`  outbox: the week's messages are not in ${outbox}: an earlier run sent them from elsewhere (npm run demo -- --fresh sends them again here)`);
  }
  return lines;
}

/** The ISO week (UTC, `YYYY-Www`) of the latest activity of a person synced from GitHub's API. */
async function lastWeekOfHistory(dataSource: DataSource): Promise<string | null> {
  const [row]: Array<{ week: string | null }> = await dataSource.query(
    `SELECT to_char(max(a.occurred_at) AT TIME ZONE 'UTC', 'IYYY-"W"IW') AS week
       FROM activity a JOIN member m ON m.id = a.member_id AND m.kind = 'person' WHERE a.source = 'api'`,
  );
  return row?.week ?? null;
}

/** People active in the week, then the hackathon's registered participants: up to {@link RECIPIENTS}. */
async function chooseRecipients(dataSource: DataSource, week: string): Promise<Recipient[]> {
  return dataSource.query(
    `WITH bounds AS (SELECT to_date($1, 'IYYY-"W"IW')::timestamp AT TIME ZONE 'UTC' AS start),
     active AS (
       SELECT a.member_id, count(*) AS n, 0 AS source_rank FROM activity a, bounds b
        WHERE a.occurred_at >= b.start AND a.occurred_at < b.start + interval '7 days' GROUP BY a.member_id
       UNION ALL
       SELECT r.member_id, 0, 1 FROM hackathon_registration r)
     SELECT m.id AS "memberId", m.login,
            EXISTS (SELECT 1 FROM identity i WHERE i.member_id = m.id AND i.platform = 'email'
                      AND i.key NOT LIKE '%@users.noreply.github.com' AND i.key <> 'noreply@github.com') AS "hasAddress"
       FROM (SELECT member_id, min(source_rank) AS source_rank, max(n) AS n FROM active GROUP BY member_id) x
       JOIN member m ON m.id = x.member_id AND m.kind = 'person' AND m.login IS NOT NULL
      ORDER BY x.source_rank, x.n DESC, m.login
      LIMIT ${RECIPIENTS}`,
    [week],
  );
}

interface OutboxMessage {
  file: string;
  messageId: string;
  subject: string;
  unsubscribeUrl: string | null;
}

/** The outbox's messages whose Message-ID is one of `messageIds`, with the headers the demo shows (parsed by mailparser). */
async function outboxMessages(outboxDir: string, messageIds: Set<string>): Promise<OutboxMessage[]> {
  const files = (await readdir(outboxDir).catch(() => [] as string[])).filter((name) => name.endsWith('.eml')).sort();
  const found: OutboxMessage[] = [];
  for (const name of files) {
    const file = join(outboxDir, name);
    const parsed = await simpleParser(await readFile(file));
    const messageId = [parsed.messageId ?? '', (parsed.messageId ?? '').replace(/^<|>$/g, '')].find((id) => messageIds.has(id));
    if (!messageId) continue;
    // mailparser gathers the RFC 2369 headers under `list`: List-Unsubscribe's https URI is `list.unsubscribe.url`
    const list = parsed.headers.get('list') as { unsubscribe?: { url?: string } } | undefined;
    found.push({ file, messageId, subject: parsed.subject ?? '', unsubscribeUrl: list?.unsubscribe?.url ?? null });
  }
  return found;
}
