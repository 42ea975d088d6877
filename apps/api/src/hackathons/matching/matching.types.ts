import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Access } from '../../graphql/access/access.decorator.js';

export enum ResourceKindEnum {
  GPU_HOURS = 'gpu_hours',
  API_CREDITS = 'api_credits',
  DATASET = 'dataset',
  MENTOR_HOURS = 'mentor_hours',
  OTHER = 'other',
}
registerEnumType(ResourceKindEnum, {
  name: 'ResourceKind',
  description: 'What a hackathon resource is; its units follow (hours, credit units, seats).',
  valuesMap: {
    GPU_HOURS: { description: 'GPU time; one unit is one GPU hour.' },
    API_CREDITS: { description: "A sponsor's API credits; one unit is the sponsor's credit unit." },
    DATASET: { description: 'Access to a dataset; one unit is one team seat.' },
    MENTOR_HOURS: { description: "A mentor's time (the resource names the mentor member); one unit is one hour." },
    OTHER: { description: 'Anything else a sponsor offers, counted in its own units.' },
  },
});

export enum MatchingRunStatusEnum {
  QUEUED = 'queued',
  RUNNING = 'running',
  DRAFT = 'draft',
  PUBLISHED = 'published',
  FAILED = 'failed',
  SUPERSEDED = 'superseded',
}
registerEnumType(MatchingRunStatusEnum, {
  name: 'MatchingRunStatus',
  description:
    'queued → running → DRAFT (reviewable) → PUBLISHED, or SUPERSEDED by a newer draft or publication; FAILED with an error. ' +
    'At most one QUEUED/RUNNING and one PUBLISHED run per hackathon.',
  valuesMap: {
    QUEUED: { description: 'Started; its job waits for a worker.' },
    RUNNING: { description: 'A worker is building and solving the min-cost flow problem (see progress).' },
    DRAFT: { description: 'Solved: allocations and explanations stored, for organisers to review, pin and publish.' },
    PUBLISHED: { description: 'The allocation teams see; each team was notified once.' },
    FAILED: { description: 'The job failed for good; error says why.' },
    SUPERSEDED: { description: 'Replaced by a newer draft (after a pin) or a newer publication.' },
  },
});

export enum MatchingReasonEnum {
  RESOURCE_FULL = 'resource_full',
  PER_TEAM_MAX = 'per_team_max',
  PINNED = 'pinned',
  BETTER_USE = 'better_use',
  TEAM_TOO_SMALL = 'team_too_small',
  SKILLS_MISSING = 'skills_missing',
}
registerEnumType(MatchingReasonEnum, {
  name: 'MatchingShortfallReason',
  description:
    'Why a team did not get (all of) a candidate: RESOURCE_FULL (units went to others or pins), PER_TEAM_MAX, PINNED (an organiser fixed the pair), ' +
    'BETTER_USE (units left but the optimum used them elsewhere: fairness or utility), TEAM_TOO_SMALL / SKILLS_MISSING (not eligible).',
  valuesMap: {
    RESOURCE_FULL: { description: 'Every unit of the resource went to other teams or to pins.' },
    PER_TEAM_MAX: { description: "The resource's per-team maximum was reached." },
    PINNED: { description: 'An organiser pinned this team and resource to a fixed amount.' },
    BETTER_USE: { description: 'Units were left, but the optimum used the capacity elsewhere (fairness tier or utility).' },
    TEAM_TOO_SMALL: { description: "The team has fewer members than the resource's eligibility asks." },
    SKILLS_MISSING: { description: "No team member registered one of the skills the resource's eligibility asks for." },
  },
});

@ObjectType('HackathonResource', { description: 'Something scarce a sponsor offers a hackathon (GPU hours, API credits, a dataset, a mentor\'s hours).' })
export class ResourceObject {
  @Field(() => ID, { description: 'Resource id (UUID).' })
  id: string;

  @Field(() => ID, { description: 'The hackathon (UUID).' })
  hackathonId: string;

  @Field(() => ResourceKindEnum, { description: 'Kind.' })
  kind: ResourceKindEnum;

  @Field({ description: 'Name, unique case-insensitively within the hackathon.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Sponsor offering it.' })
  sponsor: string | null;

  @Field(() => Int, { description: 'Units available in all (hours, credit units, seats), ≥ 0.' })
  capacity: number;

  @Field(() => Int, { description: 'Most units one team may receive, ≥ 0.' })
  perTeamMax: number;

  @Field(() => [String], { description: 'Tags (lower-case, sorted); a mentor\'s expertise. Shared tags with a request add utility.' })
  tags: string[];

  @Field(() => ID, { nullable: true, description: 'For MENTOR_HOURS: the mentor (member id); null for other kinds.' })
  mentorMemberId: string | null;

  @Field(() => Int, { nullable: true, description: 'Eligibility: teams need at least this many members (null: any size).' })
  eligibilityMinTeamSize: number | null;

  @Access.public()
  @Field(() => [String], { description: 'Eligibility: when not empty, one of the team\'s members must have registered one of these skills.' })
  eligibilitySkills: string[];

  @Field({ description: 'Created (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'Last changed (UTC instant).' })
  updatedAt: Date;
}

@ObjectType('ResourceRequest', { description: "A team's ranked request for units of one resource or of each resource of a kind." })
export class ResourceRequestObject {
  @Field(() => ID, { description: 'Request id (UUID).' })
  id: string;

  @Field(() => ID, { description: 'The hackathon (UUID).' })
  hackathonId: string;

  @Field(() => ID, { description: 'The team (UUID).' })
  teamId: string;

  @Field(() => ID, { nullable: true, description: 'The resource asked for, or null when a kind is asked for.' })
  resourceId: string | null;

  @Field(() => ResourceKindEnum, { nullable: true, description: 'The kind asked for (each eligible resource of it, up to `amount` each), or null.' })
  kind: ResourceKindEnum | null;

  @Field(() => Int, { description: 'Units wanted (≥ 1).' })
  amount: number;

  @Field(() => Int, { description: 'Preference rank: 1 is the first choice; unique per team.' })
  rank: number;

  @Field(() => [String], { description: 'Tags (lower-case); each one the resource shares adds utility.' })
  tags: string[];

  @Field({ description: 'Created (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'Last changed (UTC instant).' })
  updatedAt: Date;
}

@ObjectType('MatchingRunStats', { description: 'Size of a solved run.' })
export class MatchingRunStatsObject {
  @Field(() => Int, { description: 'Teams in the problem (with a candidate or a pin).' }) teams: number;
  @Field(() => Int, { description: 'Resources of the hackathon.' }) resources: number;
  @Field(() => Int, { description: '(team, resource) pairs a team asked for and may receive.' }) candidates: number;
  @Field(() => Int, { description: 'Pins honoured.' }) pins: number;
  @Field(() => Int, { description: 'Allocations (pairs with at least one unit).' }) allocations: number;
  @Field(() => Int, { description: 'Units allocated in all.' }) unitsAllocated: number;
  @Field(() => Int, { description: 'Nodes of the min-cost-flow network.' }) nodes: number;
  @Field(() => Int, { description: 'Arcs of the min-cost-flow network.' }) arcs: number;
  @Field(() => Int, { description: 'Solver iterations (pivots or augmentations).' }) iterations: number;
  @Field(() => Int, { description: 'Wall time of the solve in the worker thread (milliseconds).' }) solveMs: number;
}

@ObjectType('Allocation', { description: 'Units of a resource a run gives a team.' })
export class AllocationObject {
  @Field(() => ID, { description: 'The run (UUID).' }) runId: string;
  @Field(() => ID, { description: 'The team (UUID).' }) teamId: string;
  @Field(() => ID, { description: 'The resource (UUID).' }) resourceId: string;
  @Field(() => Int, { description: 'Units (≥ 1).' }) units: number;
  @Field({ description: "True when an organiser's pin fixed it." }) pinned: boolean;
}

@ObjectType('AllocationReceived', { description: 'What a team received of one resource.' })
export class ReceivedObject {
  @Field(() => ID, { description: 'The resource (UUID).' }) resourceId: string;
  @Field(() => Int, { description: 'Units.' }) units: number;
  @Field(() => Int, { description: "The team's rank for it." }) rank: number;
  @Field({ description: 'Fixed by a pin.' }) pinned: boolean;
}

@ObjectType('AllocationShortfall', { description: 'A candidate ranked above what the team received that it did not fully get, and why.' })
export class ShortfallObject {
  @Field(() => ID, { description: 'The resource (UUID).' }) resourceId: string;
  @Field(() => Int, { description: "The team's rank for it." }) rank: number;
  @Field(() => Int, { description: 'Units wanted.' }) wanted: number;
  @Field(() => Int, { description: 'Units received.' }) got: number;
  @Field(() => MatchingReasonEnum, { description: 'Why not more.' }) reason: MatchingReasonEnum;
}

@ObjectType('TeamAllocationExplanation', { description: "Why a team got what it got in a run ('got 10 A100 hours (rank 2) because rank 1 (H100 hours) was full')." })
export class TeamExplanationObject {
  @Field(() => ID, { description: 'The team (UUID).' }) teamId: string;
  @Field({ description: "The team's name." }) teamName: string;
  @Field({ description: 'For people, with current resource names: one line per resource received (joined with "; "), then the resources the team may not receive.' }) text: string;
  @Field(() => [ReceivedObject], { description: 'What it received, best rank first.' }) received: ReceivedObject[];
  @Field(() => [ShortfallObject], { description: 'Better-ranked candidates not fully received (ineligible ones included).' }) shortfalls: ShortfallObject[];
}

@ObjectType('MatchingRun', { description: 'One exact solve (min-cost flow) of a hackathon\'s resource matching, run as a background job.' })
export class MatchingRunObject {
  @Field(() => ID, { description: 'Run id (UUID).' }) id: string;
  @Field(() => ID, { description: 'The hackathon (UUID).' }) hackathonId: string;
  @Field(() => MatchingRunStatusEnum, { description: 'Where the run is.' }) status: MatchingRunStatusEnum;
  @Field(() => Int, { description: 'Progress of the job, 0–100.' }) progress: number;
  @Field(() => Float, { nullable: true, description: 'Total utility (integer; preference rank, shared tags, first-unit bonuses), once solved.' })
  objective: number | null;
  @Field(() => MatchingRunStatsObject, { nullable: true, description: 'Sizes and solve time, once solved.' }) stats: MatchingRunStatsObject | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the solver input: equal hashes, equal allocations.' }) inputHash: string | null;
  @Field(() => ID, { nullable: true, description: 'The draft this run re-solved around new pins.' }) parentRunId: string | null;
  @Field(() => String, { nullable: true, description: 'Why it failed.' }) error: string | null;
  @Field(() => Int, { description: 'Executions of its job (more than 1 after a retry or a lost lock; the later ones store nothing).' }) attempts: number;
  @Field({ description: 'Started (UTC instant).' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'Finished solving or failed (UTC instant).' }) finishedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'Published (UTC instant).' }) publishedAt: Date | null;
}

@ObjectType('StartMatchingRunPayload', { description: 'The run started, or the one already queued or running.' })
export class StartMatchingRunPayload {
  @Field(() => MatchingRunObject, { description: 'The run.' }) run: MatchingRunObject;
  @Field({ description: 'False when a run was already queued or running and is returned instead (two organisers starting at once get one run).' })
  created: boolean;
}

@ObjectType('PublishMatchingRunPayload', { description: 'The published run.' })
export class PublishMatchingRunPayload {
  @Field(() => MatchingRunObject, { description: 'The run, now PUBLISHED.' }) run: MatchingRunObject;
  @Field(() => Int, { description: 'Teams notified by this call (0 when the run was already published).' }) notified: number;
}

@ObjectType('AllocationPin', { description: "An organiser's fixed allocation; later runs are solved around it." })
export class AllocationPinObject {
  @Field(() => ID, { description: 'The team (UUID).' }) teamId: string;
  @Field(() => ID, { description: 'The resource (UUID).' }) resourceId: string;
  @Field(() => Int, { description: 'Units fixed (0: nothing from this resource).' }) units: number;
  @Field({ description: 'When it was set (UTC instant).' }) pinnedAt: Date;
}

@ObjectType('TeamNotification', { description: 'Something a team is told once (an outbox row; the digest e-mail delivers it).' })
export class TeamNotificationObject {
  @Field(() => ID, { description: 'Notification id (UUID).' }) id: string;
  @Field(() => ID, { description: 'The team (UUID).' }) teamId: string;
  @Field(() => ID, { description: 'The published run it is about (UUID).' }) runId: string;
  @Field({ description: 'Kind: `allocation_published`.' }) kind: string;
  @Field({ description: 'Created (UTC instant).' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'Delivered (UTC instant), or null while waiting.' }) deliveredAt: Date | null;
}
