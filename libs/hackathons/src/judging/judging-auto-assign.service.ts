import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { organizationAtSql } from '#libs/members';
import { memberRootSql } from '../common/member-root.js';
import { planAutoAssignment } from './auto-assign.js';
import { findHackathon } from './judging-conflicts.js';
import { JudgingException, JudgingExceptionCode } from './judging.exception.js';
import { toAssignment } from './judging-rows.js';
import { assertCanChangeJudging } from './judging-rules.js';
import type { AssignmentView } from './judging.types.js';

/** Most judges per submission auto-assignment accepts. */
export const MAX_JUDGES_PER_SUBMISSION = 50;

export interface AutoAssignResult {
  created: AssignmentView[];
  short: Array<{ submissionId: string; judges: number; eligible: number }>;
}

/** Assigns judges to every submission of a hackathon at once (rules in auto-assign.ts). */
@Injectable()
export class JudgingAutoAssignService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Gives each submission up to `judgesPerSubmission` judges, keeping existing assignments,
   * never a pair with a conflict of interest now (same team, or same organisation at this
   * instant, by the rule of `findConflict`), with the judges' largest load as small as possible.
   * Running it again with the same k adds nothing.
   * @throws JudgingException HACKATHON_NOT_FOUND, JUDGING_INVALID (k outside 1–50), JUDGING_STATUS_CONFLICT (finished).
   */
  async autoAssign(slug: string, judgesPerSubmission: number): Promise<AutoAssignResult> {
    if (!Number.isInteger(judgesPerSubmission) || judgesPerSubmission < 1 || judgesPerSubmission > MAX_JUDGES_PER_SUBMISSION) {
      throw new JudgingException(
        `judgesPerSubmission must be a whole number from 1 to ${MAX_JUDGES_PER_SUBMISSION}; got ${judgesPerSubmission}`,
        JudgingExceptionCode.INVALID,
      );
    }
    return this.dataSource.transaction(async (em) => {
      const hackathon = await findHackathon(em, slug, true);
      assertCanChangeJudging(hackathon.status);
      // serialise auto-assignments of one hackathon (the share lock above lets two run at once)
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('judge-auto-assign'), hashtext($1))`, [hackathon.id]);
      const at = new Date().toISOString();
      const [judges, submissions, existing, conflicts] = await Promise.all([
        em.query(`SELECT id FROM judge WHERE hackathon_id = $1`, [hackathon.id]),
        em.query(`SELECT id FROM submission WHERE hackathon_id = $1`, [hackathon.id]),
        em.query(
          `SELECT ja.judge_id, ja.submission_id FROM judge_assignment ja JOIN judge j ON j.id = ja.judge_id WHERE j.hackathon_id = $1`,
          [hackathon.id],
        ),
        em.query(
          `SELECT j.id AS judge_id, s.id AS submission_id
             FROM judge j
             JOIN member jm ON jm.id = j.member_id
             JOIN submission s ON s.hackathon_id = j.hackathon_id
            WHERE j.hackathon_id = $1
              AND EXISTS (SELECT 1 FROM team_member tm JOIN member tmm ON tmm.id = tm.member_id
                           WHERE tm.team_id = s.team_id
                             AND (${memberRootSql('tm.member_id')} = ${memberRootSql('j.member_id')}
                                  OR ${organizationAtSql('tm.member_id', '$2::timestamptz')}
                                     = ${organizationAtSql('j.member_id', '$2::timestamptz')}))`,
          [hackathon.id, at],
        ),
      ]);
      const plan = planAutoAssignment({
        judgeIds: judges.map((j: { id: string }) => j.id),
        submissionIds: submissions.map((s: { id: string }) => s.id),
        k: judgesPerSubmission,
        existing: existing.map((a: Record<string, string>) => ({ judgeId: a.judge_id, submissionId: a.submission_id })),
        conflicts: conflicts.map((c: Record<string, string>) => ({ judgeId: c.judge_id, submissionId: c.submission_id })),
      });
      const created: AssignmentView[] = [];
      if (plan.assignments.length) {
        const rows = await em.query(
          `WITH inserted AS (
             INSERT INTO judge_assignment (judge_id, submission_id)
             SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING RETURNING *)
           SELECT i.*, j.member_id FROM inserted i JOIN judge j ON j.id = i.judge_id ORDER BY i.submission_id, i.judge_id`,
          [plan.assignments.map((a) => a.judgeId), plan.assignments.map((a) => a.submissionId)],
        );
        created.push(...rows.map(toAssignment));
      }
      return { created, short: plan.short };
    });
  }
}
