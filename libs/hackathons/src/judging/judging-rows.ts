import { z } from 'zod';
import { JudgingException, JudgingExceptionCode } from './judging.exception.js';
import type { AssignmentView, CriterionView, JudgeView, ScoreView } from './judging.types.js';

/**
 * Rows of a `RETURNING` statement run through TypeORM's `query`: UPDATE and DELETE answer
 * `[rows, affectedCount]`, INSERT and SELECT just the rows.
 */
export function returned<Row>(result: unknown): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Row[];
  }
  return result as Row[];
}

/**
 * Validates an id argument.
 * @throws JudgingException JUDGING_INVALID naming what the id should be.
 */
export function parseId(id: string, what: string): string {
  if (!z.uuid().safeParse(id).success) throw new JudgingException(`"${id}" is not ${what} id (a UUID)`, JudgingExceptionCode.INVALID);
  return id;
}

/** A row as the Postgres driver answers it. */
export type Row = Record<string, unknown>;

export const CRITERION_COLUMNS = `c.id, c.hackathon_id, c.name, c.description, c.weight, c.scale_min, c.scale_max, c.created_at, c.updated_at`;

export function toCriterion(row: Row): CriterionView {
  return {
    id: row.id as string,
    hackathonId: row.hackathon_id as string,
    name: row.name as string,
    description: row.description as string,
    weight: Number(row.weight),
    scaleMin: Number(row.scale_min),
    scaleMax: Number(row.scale_max),
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

export function toJudge(row: Row): JudgeView {
  return { id: row.id as string, hackathonId: row.hackathon_id as string, memberId: row.member_id as string, addedAt: row.added_at as Date };
}

export function toAssignment(row: Row): AssignmentView {
  return {
    judgeId: row.judge_id as string,
    memberId: row.member_id as string,
    submissionId: row.submission_id as string,
    assignedAt: row.assigned_at as Date,
  };
}

export function toScore(row: Row): ScoreView {
  return {
    judgeId: row.judge_id as string,
    memberId: row.member_id as string,
    submissionId: row.submission_id as string,
    criterionId: row.criterion_id as string,
    value: Number(row.value),
    comment: row.comment as string,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
