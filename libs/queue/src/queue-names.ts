/** BullMQ queue names, in one place. */
export enum QueueName {
  Webhooks = 'webhooks',
  GithubSync = 'github-sync',
  /** Identity resolution jobs: the merge sweep (libs/members/src/merges). */
  Identity = 'identity',
  /** Stage evaluation of members (libs/members/src/stages). */
  Stages = 'stages',
  /** Recomputing automatic affiliations (libs/members/src/affiliations). */
  Affiliations = 'affiliations',
  /** Hackathon jobs (libs/hackathons): matching runs, contribution tracking. */
  Hackathons = 'hackathons',
  /** Weekly digests (libs/digests send): planning runs and one send per member and ISO week. */
  Digests = 'digests',
}

/** BullMQ job names, in one place. */
export enum JobName {
  /** Normalise one stored webhook delivery into activities and entity upserts. */
  ProcessDelivery = 'process-delivery',
  /**
   * Retired: deliveries stored while Redis was away are enqueued by the api's relay. Kept so that a
   * worker completes runs left in Redis by earlier versions (and removes their scheduler at boot).
   */
  RequeueStaleDeliveries = 'requeue-stale-deliveries',
  /** Discover the repositories of an ecosystem's tracked organisations and users. */
  DiscoverRepositories = 'discover-repositories',
  /** Sync one repository's resources (commits, pull requests) from its stored cursors. */
  SyncRepository = 'sync-repository',
  /** Scheduled: request discovery (then one sync per repository) of every ecosystem; no payload. */
  ReconcileEcosystems = 'reconcile-ecosystems',
  /**
   * `github-sync`, scheduled: read the GitHub profiles due for a fetch (their `company` field, the source of
   * `profile` affiliations) and recompute the affiliations of members whose company changed; no payload.
   */
  SyncProfiles = 'sync-profiles',
  /** `identity`, scheduled: compute merge suggestions and merge members on conclusive evidence; no payload. */
  MergeSweep = 'merge-sweep',
  /** `stages`: evaluate the members concerned by written activities ({@link EvaluateStagesJobData}). */
  EvaluateStages = 'evaluate-stages',
  /** `stages`: evaluate what the stage evaluation outbox asked for ({@link EvaluateStageOutboxJobData}). */
  EvaluateStageOutbox = 'evaluate-stage-outbox',
  /** `stages`: recompute the stages of every member of an ecosystem, or of all ({@link RecomputeStagesJobData}). */
  RecomputeStages = 'recompute-stages',
  /** `stages`, scheduled: store the LAPSED transitions that have come due; no payload. */
  CheckStageLapses = 'check-stage-lapses',
  /** `affiliations`: recompute automatic affiliations, of some members or all ({@link RecomputeAffiliationsJobData}). */
  RecomputeAffiliations = 'recompute-affiliations',
  /**
   * `hackathons`: freeze one hackathon's contribution eligibility if it has closed, or record the changes since an
   * earlier freeze ({@link FreezeHackathonContributionsJobData}; job id `freeze-contributions-<hackathon id>`).
   */
  FreezeHackathonContributions = 'freeze-hackathon-contributions',
  /** `hackathons`, scheduled: freeze every closed hackathon and re-evaluate the recently frozen ones; no payload. */
  SweepHackathonContributions = 'sweep-hackathon-contributions',
  /** `hackathons`: build, solve (in a worker thread) and store one matching run ({@link SolveMatchingRunJobData}). */
  SolveMatchingRun = 'solve-matching-run',
  /**
   * `digests`, scheduled: enqueue a {@link JobName.SendDigest} for every opted-in member whose local Monday 09:00
   * has passed and whose week just ended has no ledger row; no payload.
   */
  PlanDigests = 'plan-digests',
  /** `digests`: take the ledger row, compose and send one member's digest of one ISO week ({@link SendDigestJobData}). */
  SendDigest = 'send-digest',
}

/** Stable ids of BullMQ job schedulers: registering one again updates it, never duplicates it. */
export enum JobSchedulerId {
  /** Retired (see {@link JobName.RequeueStaleDeliveries}); workers remove it at boot. */
  RequeueStaleDeliveries = 'requeue-stale-deliveries',
  /** `github-sync`: the periodic reconciliation ({@link JobName.ReconcileEcosystems}). */
  Reconcile = 'reconcile-ecosystems',
  /** `github-sync`: the periodic profile sync ({@link JobName.SyncProfiles}). */
  ProfileSync = 'sync-profiles',
  /** `identity`: the periodic merge sweep ({@link JobName.MergeSweep}). */
  MergeSweep = 'merge-sweep',
  /** `stages`: the periodic lapse check ({@link JobName.CheckStageLapses}). */
  StageLapses = 'check-stage-lapses',
  /** `affiliations`: the periodic full recompute ({@link JobName.RecomputeAffiliations}). */
  RecomputeAffiliations = 'recompute-affiliations',
  /** `hackathons`: the periodic contribution sweep ({@link JobName.SweepHackathonContributions}). */
  HackathonContributionsSweep = 'sweep-hackathon-contributions',
  /** `digests`: the hourly digest planner ({@link JobName.PlanDigests}). */
  DigestPlanner = 'plan-digests',
}

/** Payload of {@link JobName.ProcessDelivery}: the `webhook_delivery.id` row id only. */
export interface ProcessDeliveryJobData {
  deliveryRowId: string;
}

/** Payload of {@link JobName.DiscoverRepositories}. */
export interface DiscoverRepositoriesJobData {
  ecosystemId: number;
}

/** Payload of {@link JobName.SyncRepository}: GitHub's numeric repository id. */
export interface SyncRepositoryJobData {
  repositoryId: number;
}

/** Payload of {@link JobName.EvaluateStages}: `activity.id` values only. */
export interface EvaluateStagesJobData {
  activityIds: string[];
}

/**
 * Payload of {@link JobName.EvaluateStageOutbox}: `stage_evaluation_outbox` keys (`member:<member id>`,
 * `merged:<activity id>`) and, at the same index, the `seq` each was enqueued at (a bigint as text).
 */
export interface EvaluateStageOutboxJobData {
  keys: string[];
  seqs: string[];
}

/** Payload of {@link JobName.RecomputeStages}: an `ecosystem.id`, or null for every ecosystem. */
export interface RecomputeStagesJobData {
  ecosystemId: number | null;
}

/** Payload of {@link JobName.RecomputeAffiliations}: `member.id` values, or null for every member. */
export interface RecomputeAffiliationsJobData {
  memberIds: string[] | null;
}

/** Payload of {@link JobName.FreezeHackathonContributions}: the `hackathon.id` only. */
export interface FreezeHackathonContributionsJobData {
  hackathonId: string;
}

/** Payload of {@link JobName.SolveMatchingRun}: the `matching_run.id` only (job id `matching-run-<id>`). */
export interface SolveMatchingRunJobData {
  runId: string;
}

/**
 * Payload of {@link JobName.SendDigest}: the member (resolved through merges when the job runs) and the ISO week
 * (`YYYY-Www`); job id `digest-<member id>-<week>`.
 */
export interface SendDigestJobData {
  memberId: string;
  week: string;
}
