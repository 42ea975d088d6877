/** Something that runs SQL: a DataSource, or an EntityManager inside a transaction. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The fact marking a commit credit set aside because its member already holds a credit for the
 * same commit (see {@link settleCommitCredits}). Merges mark theirs with their own fact, naming
 * the merge, so that an unmerge brings them back.
 */
export const DUPLICATE_CREDIT_FACT = 'duplicateCredit';

/** The sha of a commit credit's source key (`commit:<sha>` or `commit:<sha>:co:<address>`), else null. */
export function commitShaOfKey(sourceKey: string): string | null {
  if (!sourceKey.startsWith('commit:')) return null;
  return sourceKey.split(':', 2)[1] || null;
}

/**
 * The source keys a batch must settle: every commit credit key of each commit that has a
 * co-author credit in the batch, and the commit's authorship key. All credits of one commit come from its one message, so they
 * are written together by whichever source sees the commit first.
 */
export function commitKeysToSettle(sourceKeys: readonly string[]): string[] {
  const withCoAuthors = new Set<string>();
  for (const key of sourceKeys) if (key.startsWith('commit:') && key.includes(':co:')) withCoAuthors.add(commitShaOfKey(key)!);
  if (withCoAuthors.size === 0) return [];
  const keys = sourceKeys.filter((key) => withCoAuthors.has(commitShaOfKey(key) ?? ''));
  // the authorship too, when an earlier batch stored it
  return [...new Set([...keys, ...[...withCoAuthors].map((sha) => `commit:${sha}`)])];
}

/**
 * The ranking shared by both settle statements: per commit and member, the authorship first,
 * then the earliest and the first written; only credits that are live or were set aside by this
 * rule take part (a credit a merge set aside waits for its unmerge).
 */
const RANKED = (where: string) => `
  SELECT id, removed_at IS NOT NULL AS aside,
         row_number() OVER (PARTITION BY split_part(source_key, ':', 2), member_id
                            ORDER BY source_key LIKE 'commit:%:co:%', occurred_at, id) AS n
    FROM activity
   WHERE ${where} AND type = 'commit' AND source_key LIKE 'commit:%'
     AND (removed_at IS NULL OR facts ? '${DUPLICATE_CREDIT_FACT}')`;

const SETTLE = (where: string) => `
  UPDATE activity a
     SET removed_at = CASE WHEN r.n > 1 THEN now() END,
         facts = CASE WHEN r.n > 1 THEN a.facts || jsonb_build_object('${DUPLICATE_CREDIT_FACT}', true)
                      ELSE a.facts - '${DUPLICATE_CREDIT_FACT}' END
    FROM (${RANKED(where)}) r
   WHERE a.id = r.id AND (r.n > 1) <> r.aside`;

/**
 * One commit credits a member once, whatever mix of author and co-author identities resolves to
 * them (issue 4, case I5): among the credits of these source keys, each member keeps one live
 * credit per commit — the authorship if they have it — and the others are marked removed with
 * {@link DUPLICATE_CREDIT_FACT}; a credit set aside earlier comes back when it is the member's only
 * one again. Rollups follow through the activity triggers.
 * @returns how many credits changed.
 */
export async function settleCommitCredits(runner: SqlRunner, sourceKeys: readonly string[]): Promise<number> {
  if (sourceKeys.length === 0) return 0;
  const [, changed] = (await runner.query(SETTLE('source_key = ANY($1::text[])'), [sourceKeys])) as [unknown, number];
  return changed;
}

/**
 * {@link settleCommitCredits} over every commit credit of these members: after an unmerge, a
 * credit set aside while two people were one is the only one of its member again.
 * @returns how many credits changed.
 */
export async function settleCommitCreditsOfMembers(runner: SqlRunner, memberIds: readonly string[]): Promise<number> {
  if (memberIds.length === 0) return 0;
  const [, changed] = (await runner.query(SETTLE('member_id = ANY($1::uuid[])'), [memberIds])) as [unknown, number];
  return changed;
}
