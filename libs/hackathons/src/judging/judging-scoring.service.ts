import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { memberRootSql } from '../common/member-root.js';
import { refuseNul } from '../common/text-input.js';
import { assertNoConflict, findHackathon, type Queryable } from './judging-conflicts.js';
import { JudgingException, JudgingExceptionCode } from './judging.exception.js';
import { parseId, returned, toAssignment, toCriterion, toScore, CRITERION_COLUMNS } from './judging-rows.js';
import { assertCanChangeJudging, assertCanScore, assertScoreInScale } from './judging-rules.js';
import type { AssignmentView, JudgingHackathon, JudgingScope, ScoreInput, ScoreView } from './judging.types.js';

/** Longest score comment kept. */
export const MAX_SCORE_COMMENT = 5000;

/**
 * Assignments (judge ↔ submission) and scores. Conflicts of interest are refused at assignment
 * and again at each score (an affiliation may have started since), at the instant of the call.
 */
@Injectable()
export class JudgingScoringService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Asks a judge to score a submission. Assigning twice changes nothing (returns the assignment).
   * @throws JudgingException HACKATHON_NOT_FOUND, JUDGE_NOT_FOUND (the member is not a judge of
   *   the hackathon), SUBMISSION_NOT_FOUND, JUDGE_ON_TEAM_CONFLICT, JUDGE_SAME_ORGANIZATION_CONFLICT,
   *   JUDGING_STATUS_CONFLICT (finished).
   */
  async assign(slug: string, judgeMemberId: string, submissionId: string): Promise<AssignmentView> {
    parseId(submissionId, 'a submission');
    return this.dataSource.transaction(async (em) => {
      const hackathon = await findHackathon(em, slug, true);
      assertCanChangeJudging(hackathon.status);
      const judgeId = await this.judgeId(em, hackathon, judgeMemberId);
      await assertNoConflict(em, judgeId, submissionId, new Date());
      await em.query(
        `INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2) ON CONFLICT (judge_id, submission_id) DO NOTHING`,
        [judgeId, submissionId],
      );
      const rows = await em.query(
        `SELECT ja.*, j.member_id FROM judge_assignment ja JOIN judge j ON j.id = ja.judge_id WHERE ja.judge_id = $1 AND ja.submission_id = $2`,
        [judgeId, submissionId],
      );
      return toAssignment(rows[0]);
    });
  }

  /**
   * Withdraws an assignment, with the judge's scores for that submission.
   * @throws JudgingException HACKATHON_NOT_FOUND, JUDGE_NOT_FOUND, ASSIGNMENT_NOT_FOUND, JUDGING_STATUS_CONFLICT.
   */
  async unassign(slug: string, judgeMemberId: string, submissionId: string): Promise<AssignmentView> {
    parseId(submissionId, 'a submission');
    return this.dataSource.transaction(async (em) => {
      const hackathon = await findHackathon(em, slug, true);
      assertCanChangeJudging(hackathon.status);
      const judgeId = await this.judgeId(em, hackathon, judgeMemberId);
      const rows = returned<Record<string, unknown>>(
        await em.query(`DELETE FROM judge_assignment WHERE judge_id = $1 AND submission_id = $2 RETURNING *`, [judgeId, submissionId]),
      );
      if (!rows[0]) throw new JudgingException('That judge is not assigned to that submission', JudgingExceptionCode.ASSIGNMENT_NOT_FOUND);
      return toAssignment({ ...rows[0], member_id: judgeMemberId });
    });
  }

  /** Assignments of the hackathon (only the scoped judge's with `scope.judgeMemberId`). */
  async assignments(slug: string, scope: JudgingScope = {}, submissionId?: string | null): Promise<AssignmentView[]> {
    const hackathon = await findHackathon(this.dataSource, slug);
    if (submissionId) parseId(submissionId, 'a submission');
    const rows = await this.dataSource.query(
      `SELECT ja.*, j.member_id FROM judge_assignment ja JOIN judge j ON j.id = ja.judge_id
        WHERE j.hackathon_id = $1 AND ($2::uuid IS NULL OR ${memberRootSql('j.member_id')} = ${memberRootSql('$2::uuid')})
          AND ($3::uuid IS NULL OR ja.submission_id = $3)
        ORDER BY ja.assigned_at, ja.judge_id, ja.submission_id`,
      [hackathon.id, scope.judgeMemberId ?? null, submissionId ?? null],
    );
    return rows.map(toAssignment);
  }

  /**
   * Records (or replaces) a judge's value for one criterion of one submission.
   * Rules: the hackathon is `judging`; the judge is assigned to the submission; no conflict of
   * interest now; the value is on the criterion's scale.
   * @throws JudgingException HACKATHON_NOT_FOUND, JUDGE_NOT_FOUND, CRITERION_NOT_FOUND,
   *   SUBMISSION_NOT_FOUND, JUDGING_STATUS_CONFLICT, JUDGE_NOT_ASSIGNED_CONFLICT,
   *   JUDGE_ON_TEAM_CONFLICT, JUDGE_SAME_ORGANIZATION_CONFLICT, SCORE_OUT_OF_SCALE_INVALID,
   *   JUDGING_INVALID (comment too long, or holding a NUL).
   */
  async score(slug: string, input: ScoreInput): Promise<ScoreView> {
    parseId(input.submissionId, 'a submission');
    parseId(input.criterionId, 'a criterion');
    const comment = input.comment ?? '';
    if (comment.length > MAX_SCORE_COMMENT) throw new JudgingException(`a comment has at most ${MAX_SCORE_COMMENT} characters`, JudgingExceptionCode.INVALID);
    refuseNul({ comment }, (message) => new JudgingException(message, JudgingExceptionCode.INVALID));
    return this.dataSource.transaction(async (em) => {
      const hackathon = await findHackathon(em, slug, true);
      assertCanScore(hackathon.status);
      const judgeId = await this.judgeId(em, hackathon, input.judgeMemberId);
      // share-locked: a concurrent change of its scale (or its deletion) waits for this score, or
      // this score waits for it and is checked against the new scale
      const criteria = await em.query(
        `SELECT ${CRITERION_COLUMNS} FROM judging_criterion c WHERE c.id = $1 AND c.hackathon_id = $2 FOR SHARE`,
        [input.criterionId, hackathon.id],
      );
      if (!criteria[0]) {
        throw new JudgingException(`No criterion ${input.criterionId} in "${slug}"`, JudgingExceptionCode.CRITERION_NOT_FOUND);
      }
      await assertNoConflict(em, judgeId, input.submissionId, new Date());
      // key-share-locked: a concurrent unassignJudge waits for this score (and then removes it),
      // or this score waits for the withdrawal and finds no assignment
      const assigned = await em.query(`SELECT 1 FROM judge_assignment WHERE judge_id = $1 AND submission_id = $2 FOR KEY SHARE`, [
        judgeId,
        input.submissionId,
      ]);
      if (!assigned[0]) {
        throw new JudgingException(
          'Only a judge assigned to the submission can score it: assign the judge first',
          JudgingExceptionCode.NOT_ASSIGNED,
        );
      }
      const criterion = toCriterion(criteria[0]);
      assertScoreInScale(input.value, criterion);
      const rows = await em.query(
        `INSERT INTO judge_score (judge_id, submission_id, criterion_id, value, comment) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (judge_id, submission_id, criterion_id)
         DO UPDATE SET value = EXCLUDED.value, comment = EXCLUDED.comment, updated_at = now()
         RETURNING *`,
        [judgeId, input.submissionId, input.criterionId, input.value, comment],
      );
      return toScore({ ...rows[0], member_id: input.judgeMemberId });
    });
  }

  /** Scores of the hackathon, optionally of one submission; only the scoped judge's with `scope.judgeMemberId`. */
  async scores(slug: string, scope: JudgingScope = {}, submissionId?: string | null): Promise<ScoreView[]> {
    const hackathon = await findHackathon(this.dataSource, slug);
    if (submissionId) parseId(submissionId, 'a submission');
    const rows = await this.dataSource.query(
      `SELECT sc.*, j.member_id FROM judge_score sc JOIN judge j ON j.id = sc.judge_id
        WHERE j.hackathon_id = $1 AND ($2::uuid IS NULL OR ${memberRootSql('j.member_id')} = ${memberRootSql('$2::uuid')})
          AND ($3::uuid IS NULL OR sc.submission_id = $3)
        ORDER BY sc.submission_id, j.added_at, sc.judge_id, sc.criterion_id`,
      [hackathon.id, scope.judgeMemberId ?? null, submissionId ?? null],
    );
    return rows.map(toScore);
  }

  /**
   * The judge row of a member, through member merges (judge rows keep the merged member's id,
   * `member_root` as in the core): the survivor and the merged member name the same judge.
   * Key-share-locked, so a concurrent removeJudge waits for the caller's writes, or the caller
   * waits for the removal and finds no judge (JUDGE_NOT_FOUND).
   */
  private async judgeId(db: Queryable, hackathon: JudgingHackathon, memberId: string): Promise<string> {
    const rows = await db.query(
      `SELECT id FROM judge WHERE hackathon_id = $1 AND ${memberRootSql('member_id')} = ${memberRootSql('$2::uuid')}
        ORDER BY member_id = $2 DESC, added_at, id LIMIT 1 FOR KEY SHARE`,
      [hackathon.id, memberId],
    );
    if (!rows[0]) {
      throw new JudgingException(`That member is not a judge of "${hackathon.slug}": add them as a judge first`, JudgingExceptionCode.JUDGE_NOT_FOUND);
    }
    return rows[0].id;
  }
}
