import { z } from 'zod';
import { NO_NUL_MESSAGE, noNul } from '../common/text-input.js';

/** What a resource is: GPU hours, API credits, a dataset, a mentor's hours, or something else. */
export const RESOURCE_KINDS = ['gpu_hours', 'api_credits', 'dataset', 'mentor_hours', 'other'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Tags are compared case-insensitively: stored trimmed, lower-case, without duplicates, sorted. */
const tags = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'a tag must not be empty')
      .max(50, 'a tag has at most 50 characters')
      .refine(noNul, `a tag ${NO_NUL_MESSAGE}`),
  )
  .max(30, 'at most 30 tags')
  .transform((values) => [...new Set(values.map((value) => value.toLowerCase()))].sort());

const units = z.number().int('must be a whole number of units').min(0, 'must be ≥ 0').max(1_000_000_000, 'must be ≤ 1,000,000,000');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must have at most ${max} characters`)
    .refine(noNul, NO_NUL_MESSAGE);

/** Fields of a new resource (see migration 1764700000030 for their meaning). */
export const createResourceSchema = z
  .object({
    kind: z.enum(RESOURCE_KINDS),
    name: text(200),
    sponsor: text(200).nullish(),
    capacity: units,
    perTeamMax: units,
    tags: tags.default([]),
    mentorMemberId: z.uuid('must be a member id (UUID)').nullish(),
    eligibilityMinTeamSize: z.number().int().min(1, 'must be ≥ 1').max(100, 'must be ≤ 100').nullish(),
    eligibilitySkills: tags.default([]),
  })
  .refine((value) => (value.kind === 'mentor_hours') === Boolean(value.mentorMemberId), {
    message: 'a mentor_hours resource names its mentor (mentorMemberId), and only that kind does',
    path: ['mentorMemberId'],
  });
export type CreateResourceInput = z.input<typeof createResourceSchema>;
export type ResourceFields = z.output<typeof createResourceSchema>;

/** Fields that can change on a resource (kind and mentor stay). */
export const updateResourceSchema = z.object({
  name: text(200).optional(),
  sponsor: text(200).nullish(),
  capacity: units.optional(),
  perTeamMax: units.optional(),
  tags: tags.optional(),
  eligibilityMinTeamSize: z.number().int().min(1).max(100).nullish(),
  eligibilitySkills: tags.optional(),
});
export type UpdateResourceInput = z.input<typeof updateResourceSchema>;

/** A resource as stored. */
export interface Resource {
  id: string;
  hackathonId: string;
  kind: ResourceKind;
  name: string;
  sponsor: string | null;
  capacity: number;
  perTeamMax: number;
  tags: string[];
  mentorMemberId: string | null;
  eligibilityMinTeamSize: number | null;
  eligibilitySkills: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A team's request: `amount` units of one resource, or of each eligible resource of a kind. */
export const createRequestSchema = z
  .object({
    teamId: z.uuid('must be a team id (UUID)'),
    resourceId: z.uuid('must be a resource id (UUID)').nullish(),
    kind: z.enum(RESOURCE_KINDS).nullish(),
    amount: z.number().int('must be a whole number of units').min(1, 'must be ≥ 1').max(1_000_000_000),
    rank: z.number().int().min(1, 'rank 1 is the first choice').max(100, 'at most 100 ranks'),
    tags: tags.default([]),
  })
  .refine((value) => Boolean(value.resourceId) !== Boolean(value.kind), {
    message: 'a request names either a resource or a kind, not both and not neither',
    path: ['resourceId'],
  });
export type CreateRequestInput = z.input<typeof createRequestSchema>;

export const updateRequestSchema = z.object({
  amount: z.number().int().min(1).max(1_000_000_000).optional(),
  rank: z.number().int().min(1).max(100).optional(),
  tags: tags.optional(),
});
export type UpdateRequestInput = z.input<typeof updateRequestSchema>;

/** A request as stored. */
export interface ResourceRequest {
  id: string;
  hackathonId: string;
  teamId: string;
  resourceId: string | null;
  kind: ResourceKind | null;
  amount: number;
  rank: number;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}
