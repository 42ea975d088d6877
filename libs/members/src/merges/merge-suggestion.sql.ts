/**
 * Candidate merges, one SQL statement per kind of evidence. Each yields rows
 * `(member_id, other_member_id, evidence_kind, evidence, conclusive)`: merge `other_member_id` into
 * `member_id` (the member holding the GitHub account). Members already merged into another, the
 * deleted-user sentinel, and pairs of different kinds (a bot and a person) are never candidates.
 *
 * What is evidence (issue 4; GitHub Docs, "Setting your commit email address", "About commit
 * email addresses"):
 * - `api_link` (conclusive): GitHub's API named an account as the author of commits under an
 *   address that Cambrian had recorded as another member's e-mail identity (case I4's settling);
 * - `verified_email` (conclusive): an account's verified address is another member's identity;
 * - `noreply_login` (weak): a login-only noreply address (`login@users.noreply.github.com`) kept as
 *   an e-mail identity because no account held the login then; the login's current holder may
 *   not be who wrote the commits (logins are reused), so an admin decides;
 * - `author_name_is_login` (weak): the git author name of an address's commits is, letter case
 *   aside, the login of an account that owns a repository those commits are in, or that has its
 *   own activity there. A name alone is never evidence (anyone can type any name): only a name
 *   that is a login, in that account's own repositories; empty names match nothing.
 * Conclusive evidence is demoted to a suggestion when it names several accounts for one address,
 * when the other member has a GitHub account of its own (two accounts are two GitHub users), or
 * when an unmerge once took the identity back (an admin said otherwise: only an admin merges it
 * again). Evidence an admin rejected is never suggested again, even for another pair of members
 * (the account's member merged into a third since): see {@link NOT_REJECTED_SQL}.
 * Not evidence: equal display names, and equal hashed local parts on different domains
 * (`sha1(local)@a.example` and `sha1(local)@b.example` are different addresses).
 */
export const SUGGESTION_CANDIDATES_SQL: Record<'linked' | 'noreplyLogin' | 'authorNameIsLogin', string> = {
  linked: `
    SELECT a.member_id, i.member_id AS other_member_id, e.kind AS evidence_kind,
           jsonb_build_object('identityId', i.id, 'platform', i.platform, 'email', CASE WHEN i.platform = 'email' THEN i.key END,
                              'accountId', a.id, 'login', a.login, 'observedAt', e.observed_at,
                              'accountsNamed', n.accounts) AS evidence,
           (n.accounts = 1 AND NOT EXISTS (
              SELECT 1 FROM identity g WHERE g.member_id = i.member_id AND g.platform = 'github')
            AND NOT EXISTS (
              SELECT 1 FROM member_merge u WHERE u.unmerged_at IS NOT NULL AND i.id = ANY(u.identity_ids))) AS conclusive
      FROM identity_evidence e
      JOIN identity i ON i.id = e.identity_id
      JOIN github_account a ON a.id = CASE WHEN e.subject ~ '^[0-9]{1,18}$' THEN e.subject::bigint END
      JOIN member mi ON mi.id = i.member_id AND mi.merged_into_id IS NULL AND mi.kind <> 'deleted'
      JOIN member ma ON ma.id = a.member_id AND ma.merged_into_id IS NULL AND ma.kind = mi.kind
      CROSS JOIN LATERAL (
        SELECT count(DISTINCT e2.subject)::int AS accounts FROM identity_evidence e2
         WHERE e2.identity_id = i.id AND e2.kind IN ('api_link', 'verified_email')) n
     WHERE e.kind IN ('api_link', 'verified_email') AND a.member_id <> i.member_id`,
  noreplyLogin: `
    SELECT DISTINCT ON (i.id) a.member_id, i.member_id AS other_member_id, 'noreply_login' AS evidence_kind,
           jsonb_build_object('identityId', i.id, 'email', i.key, 'accountId', a.id, 'login', a.login) AS evidence,
           false AS conclusive
      FROM identity i
      JOIN member mi ON mi.id = i.member_id AND mi.merged_into_id IS NULL AND mi.kind <> 'deleted'
      JOIN github_account a ON lower(a.login) = split_part(i.key, '@', 1)
      JOIN member ma ON ma.id = a.member_id AND ma.merged_into_id IS NULL AND ma.kind = mi.kind
     WHERE i.platform = 'email' AND i.key ~ '^[a-z0-9][a-z0-9-]*(\\[bot\\])?@users\\.noreply\\.github\\.com$'
       AND a.member_id <> i.member_id
     ORDER BY i.id, a.login_set_at DESC, a.id DESC`,
  authorNameIsLogin: `
    WITH names AS (
      SELECT c.author_identity_id AS identity_id, lower(btrim(c.author_name)) AS name,
             count(DISTINCT c.sha)::int AS commits, array_agg(DISTINCT cr.repository_id) AS repository_ids
        FROM git_commit c
        JOIN git_commit_repository cr ON cr.sha = c.sha
        JOIN identity i ON i.id = c.author_identity_id AND i.platform = 'email'
       WHERE btrim(coalesce(c.author_name, '')) ~* '^[a-z0-9][a-z0-9-]{0,38}$'
       GROUP BY 1, 2
    )
    SELECT DISTINCT ON (i.id, holder.member_id) holder.member_id, i.member_id AS other_member_id,
           'author_name_is_login' AS evidence_kind,
           jsonb_build_object('identityId', i.id, 'email', i.key, 'gitName', n.name, 'commits', n.commits,
                              'accountId', holder.id, 'login', holder.login,
                              'repositories', (SELECT array_agg(r.full_name ORDER BY r.full_name) FROM repository r
                                                WHERE r.id = ANY(n.repository_ids)
                                                  AND (lower(r.owner) = n.name OR EXISTS (
                                                       SELECT 1 FROM activity x WHERE x.member_id = holder.member_id
                                                          AND x.repository_id = r.id)))) AS evidence,
           false AS conclusive
      FROM names n
      JOIN identity i ON i.id = n.identity_id
      JOIN member mi ON mi.id = i.member_id AND mi.merged_into_id IS NULL AND mi.kind = 'person'
      CROSS JOIN LATERAL (
        SELECT a.id, a.login, a.member_id FROM github_account a WHERE lower(a.login) = n.name
         ORDER BY a.login_set_at DESC, a.id DESC LIMIT 1) holder
      JOIN member ma ON ma.id = holder.member_id AND ma.merged_into_id IS NULL AND ma.kind = 'person'
     WHERE holder.member_id <> i.member_id
       AND EXISTS (SELECT 1 FROM repository r WHERE r.id = ANY(n.repository_ids)
                      AND (lower(r.owner) = n.name OR EXISTS (
                           SELECT 1 FROM activity x WHERE x.member_id = holder.member_id AND x.repository_id = r.id)))
     ORDER BY i.id, holder.member_id, n.commits DESC`,
};

/**
 * Keeps the candidates (`c`) whose evidence, the same kind naming the same identity and account,
 * no rejected suggestion holds: a rejection (by an admin, or by the unmerge of its merge) is about
 * the evidence, not about the two member rows it joined then.
 */
export const NOT_REJECTED_SQL = `NOT EXISTS (
  SELECT 1 FROM member_merge_suggestion r
   WHERE r.status = 'rejected' AND r.evidence_kind = c.evidence_kind
     AND r.evidence->>'identityId' = c.evidence->>'identityId' AND r.evidence->>'accountId' = c.evidence->>'accountId')`;
