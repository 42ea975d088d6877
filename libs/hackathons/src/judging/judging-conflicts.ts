import type { EntityManager } from 'typeorm';
import { organizationAtSql } from '#libs/members';
import { memberRootSql } from '../common/member-root.js';
import { noNul } from '../common/text-input.js';
import { JudgingException, JudgingExceptionCode } from './judging.exception.js';
import { conflictException, type JudgeConflict } from './judging-rules.js';
import type { JudgingHackathon } from './judging.types.js';

/** Anything with TypeORM's `query` (a DataSource or an EntityManager inside a transaction). */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * The hackathon with this slug (trimmed, any letter case, as the core's `findBySlug`); with `lock`, its row is share-locked until the transaction ends,
 * so its status cannot move while a score or an assignment is written.
 * @throws JudgingException HACKATHON_NOT_FOUND.
 */
export async function findHackathon(db: Queryable, slug: string, lock = false): Promise<JudgingHackathon> {
  // no slug holds a NUL (Postgres refuses it in text) or more than 63 characters (the slug check)
  if (!noNul(slug) || slug.length > 63) {
    throw new JudgingException(`No hackathon "${slug.slice(0, 63).replace(/\0/g, '\\0')}"`, JudgingExceptionCode.HACKATHON_NOT_FOUND);
  }
  const rows: JudgingHackathon[] = await db.query(
    `SELECT id, slug, status FROM hackathon WHERE slug = $1 ${lock ? 'FOR SHARE' : ''}`,
    [slug.trim().toLowerCase()],
  );
  if (!rows[0]) throw new JudgingException(`No hackathon "${slug}"`, JudgingExceptionCode.HACKATHON_NOT_FOUND);
  return rows[0];
}

/** How a member is named in messages: @login, else display name, else id. */
export const MEMBER_LABEL_SQL = (alias: string) =>
  `coalesce('@' || ${alias}.login, ${alias}.display_name, ${alias}.id::text)`;

/**
 * Finds a conflict of interest between a judge and a submission at instant `at` (a UTC instant;
 * the time of judging), or null:
 * - `same_team`: the judge is a member of the submission's team (`team_member`), compared
 *   through merges (`member_root`, the end of the `merged_into_id` chain), so a judge merged into or
 *   from a team member conflicts too, however many merges apart;
 * - `same_organization`: the organisation credited to the judge at `at` is the one credited to
 *   some team member at `at`, by the affiliation rule of issue 4 (`organizationAtSql`: dated,
 *   manual before automatic). A past affiliation that ended before `at` does not conflict.
 * The submission is key-share-locked, so a team deleted meanwhile (with its submission) waits
 * for the caller's assignment or score, or the caller finds no submission.
 * @throws JudgingException SUBMISSION_NOT_FOUND when the submission is not the judge's hackathon's.
 */
export async function findConflict(
  db: Queryable,
  judgeId: string,
  submissionId: string,
  at: Date,
): Promise<{ conflict: JudgeConflict | null; judgeLabel: string; submissionTitle: string }> {
  const rows: Array<{
    judge_label: string;
    title: string;
    team_name: string;
    same_team: boolean;
    organization_name: string | null;
    team_member_label: string | null;
  }> = await db.query(
    `SELECT ${MEMBER_LABEL_SQL('jm')} AS judge_label, s.title, t.name AS team_name,
            EXISTS (SELECT 1 FROM team_member tm JOIN member tmm ON tmm.id = tm.member_id
                     WHERE tm.team_id = s.team_id
                       AND ${memberRootSql('tm.member_id')} = ${memberRootSql('j.member_id')}) AS same_team,
            shared.organization_name, shared.team_member_label
       FROM judge j
       JOIN member jm ON jm.id = j.member_id
       JOIN submission s ON s.id = $2 AND s.hackathon_id = j.hackathon_id
       JOIN team t ON t.id = s.team_id
       LEFT JOIN LATERAL (
         SELECT o.name AS organization_name, ${MEMBER_LABEL_SQL('tmm')} AS team_member_label
           FROM team_member tm
           JOIN member tmm ON tmm.id = tm.member_id
           JOIN organization o ON o.id = ${organizationAtSql('tm.member_id', '$3::timestamptz')}
          WHERE tm.team_id = s.team_id
            AND o.id = ${organizationAtSql('j.member_id', '$3::timestamptz')}
          ORDER BY tm.joined_at, tm.member_id
          LIMIT 1) shared ON true
      WHERE j.id = $1
        FOR KEY SHARE OF s`,
    [judgeId, submissionId, at.toISOString()],
  );
  const row = rows[0];
  if (!row) throw new JudgingException(`No submission ${submissionId} in the judge's hackathon`, JudgingExceptionCode.SUBMISSION_NOT_FOUND);
  const conflict: JudgeConflict | null = row.same_team
    ? { kind: 'same_team', teamName: row.team_name }
    : row.organization_name
      ? { kind: 'same_organization', organizationName: row.organization_name, teamMemberLabel: row.team_member_label! }
      : null;
  return { conflict, judgeLabel: row.judge_label, submissionTitle: row.title };
}

/**
 * Refuses a judge ↔ submission pair with a conflict of interest at `at` (see {@link findConflict}).
 * @throws JudgingException JUDGE_ON_TEAM_CONFLICT or JUDGE_SAME_ORGANIZATION_CONFLICT (the message
 *   names the team, or the organisation and the team member), SUBMISSION_NOT_FOUND.
 */
export async function assertNoConflict(db: Queryable, judgeId: string, submissionId: string, at: Date): Promise<void> {
  const { conflict, judgeLabel, submissionTitle } = await findConflict(db, judgeId, submissionId, at);
  if (conflict) throw conflictException(judgeLabel, submissionTitle, conflict);
}
