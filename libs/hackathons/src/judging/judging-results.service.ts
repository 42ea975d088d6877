import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { findHackathon } from './judging-conflicts.js';
import { computeJudgingProgress, type JudgingProgress } from './judging-progress.js';
import { computeJudgingResults, type JudgingResults } from './judging-results.js';
import { CRITERION_COLUMNS, toCriterion } from './judging-rows.js';
import type { JudgingScope } from './judging.types.js';

/** A submission as results name it. */
export interface ResultSubmissionInfo {
  teamId: string;
  teamName: string;
}

/** Results and progress of a hackathon's judging, computed on read from the stored scores. */
@Injectable()
export class JudgingResultsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Every submission of the hackathon with its rank, final score, per-judge totals and tie
   * explanation (rules in judging-results.ts). `normalized` picks the final score: the mean of
   * judges' z-scores (true) or of their raw weighted totals (false); both means are always given.
   * Judges who were removed, or whose assignment was withdrawn, no longer count (their scores go).
   * `scope.judgeMemberId` limits the scores read to that judge's (for the judge role, later).
   * @throws JudgingException HACKATHON_NOT_FOUND.
   */
  async results(slug: string, normalized: boolean, scope: JudgingScope = {}): Promise<JudgingResults & { teams: Map<string, ResultSubmissionInfo>; memberIdByJudgeId: Map<string, string> }> {
    const hackathon = await findHackathon(this.dataSource, slug);
    const [criteria, submissions, scores, judges] = await Promise.all([
      this.dataSource.query(`SELECT ${CRITERION_COLUMNS} FROM judging_criterion c WHERE c.hackathon_id = $1`, [hackathon.id]),
      this.dataSource.query(
        `SELECT s.id, s.title, t.id AS team_id, t.name AS team_name FROM submission s JOIN team t ON t.id = s.team_id
          WHERE s.hackathon_id = $1`,
        [hackathon.id],
      ),
      this.dataSource.query(
        `SELECT sc.judge_id, sc.submission_id, sc.criterion_id, sc.value FROM judge_score sc JOIN judge j ON j.id = sc.judge_id
          WHERE j.hackathon_id = $1 AND ($2::uuid IS NULL OR j.member_id = $2)`,
        [hackathon.id, scope.judgeMemberId ?? null],
      ),
      this.dataSource.query(`SELECT id, member_id FROM judge WHERE hackathon_id = $1`, [hackathon.id]),
    ]);
    const results = computeJudgingResults({
      criteria: criteria.map(toCriterion),
      submissions: submissions.map((s: Record<string, string>) => ({ id: s.id, title: s.title })),
      scores: scores.map((s: Record<string, string>) => ({
        judgeId: s.judge_id,
        submissionId: s.submission_id,
        criterionId: s.criterion_id,
        value: Number(s.value),
      })),
      normalized,
    });
    const teams = new Map<string, ResultSubmissionInfo>(
      submissions.map((s: Record<string, string>) => [s.id, { teamId: s.team_id, teamName: s.team_name }]),
    );
    const memberIdByJudgeId = new Map<string, string>(judges.map((j: Record<string, string>) => [j.id, j.member_id]));
    return { ...results, teams, memberIdByJudgeId };
  }

  /**
   * Per judge (every judge of the hackathon, first added first): assigned submissions, fully
   * scored (every criterion), partially scored, not started; and the overall completion.
   * @throws JudgingException HACKATHON_NOT_FOUND.
   */
  async progress(slug: string, scope: JudgingScope = {}): Promise<JudgingProgress & { memberIdByJudgeId: Map<string, string> }> {
    const hackathon = await findHackathon(this.dataSource, slug);
    const [[{ criteria }], judges, assignments] = await Promise.all([
      this.dataSource.query(`SELECT count(*)::int AS criteria FROM judging_criterion WHERE hackathon_id = $1`, [hackathon.id]),
      this.dataSource.query(
        `SELECT id, member_id FROM judge WHERE hackathon_id = $1 AND ($2::uuid IS NULL OR member_id = $2) ORDER BY added_at, id`,
        [hackathon.id, scope.judgeMemberId ?? null],
      ),
      this.dataSource.query(
        `SELECT ja.judge_id, ja.submission_id,
                (SELECT count(*)::int FROM judge_score sc WHERE sc.judge_id = ja.judge_id AND sc.submission_id = ja.submission_id)
                  AS scored_criteria
           FROM judge_assignment ja JOIN judge j ON j.id = ja.judge_id
          WHERE j.hackathon_id = $1 AND ($2::uuid IS NULL OR j.member_id = $2)`,
        [hackathon.id, scope.judgeMemberId ?? null],
      ),
    ]);
    const progress = computeJudgingProgress(
      criteria,
      judges.map((j: Record<string, string>) => j.id),
      assignments.map((a: Record<string, string | number>) => ({
        judgeId: a.judge_id as string,
        submissionId: a.submission_id as string,
        scoredCriteria: a.scored_criteria as number,
      })),
    );
    return { ...progress, memberIdByJudgeId: new Map(judges.map((j: Record<string, string>) => [j.id, j.member_id])) };
  }
}
