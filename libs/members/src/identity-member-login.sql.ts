/**
 * Shows on each member the current login of its GitHub account, for the accounts `$1`
 * (`bigint[]`): a rename keeps the member and updates the login it shows (case I2).
 *
 * A member holding several accounts (after a merge) keeps the login it shows as long as one of
 * its other accounts still holds it: seeing the merged account again, or a rename of it, does not
 * rename the survivor. When several of the listed accounts could apply to one member, the one
 * seen first-hand most recently wins (`login_set_at`).
 */
export const SYNC_MEMBER_LOGINS_SQL = `
  UPDATE member m SET login = a.login, updated_at = now()
    FROM (SELECT DISTINCT ON (member_id) id, login, member_id FROM github_account
           WHERE id = ANY($1::bigint[]) AND member_id IS NOT NULL
           ORDER BY member_id, login_set_at DESC, id DESC) a
   WHERE m.id = a.member_id AND m.login IS DISTINCT FROM a.login
     AND NOT EXISTS (SELECT 1 FROM github_account o
                      WHERE o.member_id = m.id AND o.id <> a.id AND lower(o.login) = lower(m.login))`;
