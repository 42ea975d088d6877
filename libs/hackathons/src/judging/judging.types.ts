import type { HackathonStatus } from '../events/hackathon.entity.js';

/** A hackathon as judging reads it. */
export interface JudgingHackathon {
  id: string;
  slug: string;
  status: HackathonStatus;
}

/** A judging criterion. Weight and scale bounds are plain numbers (stored as numeric(12, 4)). */
export interface CriterionView {
  id: string;
  hackathonId: string;
  name: string;
  description: string;
  weight: number;
  scaleMin: number;
  scaleMax: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CriterionInput {
  name: string;
  description?: string | null;
  /** > 0; relative to the hackathon's other weights. */
  weight: number;
  /** Default 1. */
  scaleMin?: number | null;
  /** Default 10. */
  scaleMax?: number | null;
}

/** A criterion change: absent or null fields keep their value. */
export interface CriterionPatch {
  name?: string | null;
  description?: string | null;
  weight?: number | null;
  scaleMin?: number | null;
  scaleMax?: number | null;
}

export interface JudgeView {
  id: string;
  hackathonId: string;
  memberId: string;
  addedAt: Date;
}

export interface AssignmentView {
  judgeId: string;
  memberId: string;
  submissionId: string;
  assignedAt: Date;
}

export interface ScoreView {
  judgeId: string;
  memberId: string;
  submissionId: string;
  criterionId: string;
  value: number;
  comment: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScoreInput {
  /** The judge's member id. */
  judgeMemberId: string;
  submissionId: string;
  criterionId: string;
  value: number;
  comment?: string | null;
}

/**
 * Who reads judging data. Today every caller is an admin (`{}`: everything); the judge role
 * (a later issue) passes `judgeMemberId` so that a judge sees only their own assignments and
 * scores. Every listing method takes it, so adding the role changes no query's shape.
 */
export interface JudgingScope {
  judgeMemberId?: string;
}
