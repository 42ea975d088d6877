import type { DataSource } from 'typeorm';
import { AffiliationService, MemberQueryService, StageRulesService } from '#libs/members';

/** What the `before` loaders read with. */
export interface AuditLoaderDeps {
  db: DataSource;
  members: MemberQueryService;
  stageRules: StageRulesService;
  affiliations: AffiliationService;
}

/** A mutation's arguments as its resolver receives them. */
type Args = Record<string, unknown>;

/** Reads the current state of a mutation's target from its arguments; null when there is none (e.g. an unknown id). */
export type BeforeLoader = (args: Args, deps: AuditLoaderDeps) => Promise<unknown>;

/** How one root mutation is audited. */
export type MutationAudit = {
  /** The kind of thing it changes (`hackathon`, `team`, ...). */
  targetType: string;
  /** The target's id from the arguments; when absent (or null), the `id` of the result is recorded. */
  targetId?: (args: Args) => unknown;
  /**
   * `before` is the target's own row, whose `id` is the target's canonical id: the audit
   * interceptor then also locks that id when the arguments name the target otherwise (a slug).
   */
  beforeIsTarget?: true;
} & (
  | { /** The target's state before the change. */ before: BeforeLoader }
  | { /** Why no `before` is recorded (the enumeration test lists these). */ noBefore: string }
);

/** An ecosystem's stored GitHub credentials as the API shows them: kind, ids, fingerprint, key id, who set them when — never the sealed value. */
const githubCredentials: BeforeLoader = async (args, deps) => ({
  credentials: await rows(
    deps.db,
    `SELECT c.id, c.kind, c.app_id, c.installation_id, c.key_id, c.fingerprint, c.set_at, c.set_by
       FROM github_credential c JOIN ecosystem e ON e.id = c.ecosystem_id
      WHERE lower(e.slug) = lower($1::text) ORDER BY c.kind, c.set_at`,
    [String(args.ecosystem ?? '')],
  ),
});

/** An ecosystem's tracked sources (paused or not), by id. */
const trackedSources: BeforeLoader = async (args, deps) => ({
  trackedSources: await rows(
    deps.db,
    `SELECT ts.* FROM tracked_source ts JOIN ecosystem e ON e.id = ts.ecosystem_id WHERE e.slug = $1 ORDER BY ts.id`,
    [String(args.ecosystem ?? '')],
  ),
});

const CREATES = 'creates something new: nothing existed before (the result, `after`, holds its id)';

/** `row` with camelCase keys (the API's spelling). */
function camel(row: Record<string, unknown> | undefined | null): Record<string, unknown> | null {
  if (!row) return null;
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), value]));
}

/** Rows of a query, camelCased. The statement compares ids as text, so a malformed id finds nothing instead of failing. */
async function rows(db: DataSource, sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
  const found: Array<Record<string, unknown>> = await db.query(sql, params);
  return found.map((row) => camel(row)!);
}

async function one(db: DataSource, sql: string, params: unknown[]): Promise<Record<string, unknown> | null> {
  return (await rows(db, sql, params))[0] ?? null;
}

/** The row of `table` whose id is `id` (compared as text). */
const byId = (table: string) => (id: unknown, deps: AuditLoaderDeps) => one(deps.db, `SELECT * FROM ${table} WHERE id::text = lower($1::text)`, [String(id ?? '')]);

/** A hackathon by id (UUID) or slug. */
function hackathon(ref: unknown, deps: AuditLoaderDeps) {
  return one(deps.db, `SELECT * FROM hackathon WHERE id::text = lower($1::text) OR lower(slug) = lower($1::text) LIMIT 1`, [String(ref ?? '')]);
}

/** A member's id from a member id or GitHub login; null when unknown or malformed. */
async function memberId(ref: unknown, deps: AuditLoaderDeps): Promise<string | null> {
  return typeof ref === 'string' ? deps.members.resolveRef(ref).catch(() => null) : null;
}

async function member(ref: unknown, deps: AuditLoaderDeps) {
  const id = await memberId(ref, deps);
  return id ? deps.members.find({ id }) : null;
}

const hackathonBefore: BeforeLoader = (args, deps) => hackathon(args.id ?? args.hackathon ?? args.hackathonId, deps);

async function registration(args: Args, deps: AuditLoaderDeps) {
  const id = await memberId(args.member, deps);
  if (!id) return null;
  return one(deps.db, `SELECT * FROM hackathon_registration WHERE hackathon_id::text = lower($1::text) AND member_id = $2`, [String(args.hackathonId ?? ''), id]);
}

async function judge(args: Args, deps: AuditLoaderDeps) {
  const [found, id] = await Promise.all([hackathon(args.hackathon, deps), memberId(args.member, deps)]);
  if (!found || !id) return null;
  return one(deps.db, `SELECT * FROM judge WHERE hackathon_id = $1 AND member_id = $2`, [found.id, id]);
}

async function activeOverride(args: Args, deps: AuditLoaderDeps) {
  const found = await hackathon(args.hackathon, deps);
  if (!found) return null;
  return one(deps.db, `SELECT * FROM hackathon_contribution_override WHERE hackathon_id = $1 AND subject_key = $2 AND revoked_at IS NULL`, [
    found.id,
    String(args.key ?? ''),
  ]);
}

async function mergeSuggestion(args: Args, deps: AuditLoaderDeps) {
  const suggestion = await byId('member_merge_suggestion')(args.id, deps);
  if (!suggestion) return null;
  const [memberA, memberB] = await Promise.all([deps.members.find({ id: String(suggestion.memberId) }), deps.members.find({ id: String(suggestion.otherMemberId) })]);
  return { suggestion, member: memberA, otherMember: memberB };
}

async function team(args: Args, deps: AuditLoaderDeps) {
  const found = await byId('team')(args.teamId, deps);
  if (!found) return null;
  return { ...found, members: await rows(deps.db, `SELECT * FROM team_member WHERE team_id = $1 ORDER BY joined_at`, [found.id]) };
}

const pin: BeforeLoader = (args, deps) =>
  one(deps.db, `SELECT * FROM allocation_pin WHERE team_id::text = lower($1::text) AND resource_id::text = lower($2::text)`, [
    String(args.teamId ?? ''),
    String(args.resourceId ?? ''),
  ]);

const hackathonTarget = (args: Args) => args.id ?? args.hackathon ?? args.hackathonId ?? null;

/**
 * How every root mutation of the API is audited, keyed by the mutation's field name: the kind of
 * target, its id from the arguments, and a `before` loader reading the target's current state —
 * or, where there is none, the reason. The audit interceptor (audit.interceptor.ts) records every
 * root mutation whether listed here or not (`before: null` when not); the enumeration test
 * (test/e2e/audit-log.e2e-spec.ts) fails for a mutation of the schema missing from this table.
 */
export const AUDITED_MUTATIONS: Readonly<Record<string, MutationAudit>> = {
  acceptMergeSuggestion: { targetType: 'merge-suggestion', targetId: (a) => a.id, before: mergeSuggestion },
  addHackathonRepositories: {
    targetType: 'hackathon',
    targetId: hackathonTarget,
    before: async (args, deps) => ({
      repositories: await rows(deps.db, `SELECT * FROM hackathon_repository WHERE hackathon_id::text = lower($1::text) ORDER BY repository_id`, [String(args.id ?? '')]),
    }),
  },
  addJudge: { targetType: 'hackathon', targetId: hackathonTarget, before: judge },
  addTrackedSource: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: trackedSources },
  addWebhookSecret: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: githubCredentials },
  assignJudge: {
    targetType: 'submission',
    targetId: (a) => a.submission,
    before: async (args, deps) => ({
      assignments: await rows(deps.db, `SELECT * FROM judge_assignment WHERE submission_id::text = lower($1::text) ORDER BY assigned_at`, [String(args.submission ?? '')]),
    }),
  },
  autoAssignJudges: { targetType: 'hackathon', targetId: hackathonTarget, noBefore: 'adds assignments across every submission of the hackathon; the result lists what it assigned' },
  changeHackathonStatus: { targetType: 'hackathon', targetId: hackathonTarget, beforeIsTarget: true, before: hackathonBefore },
  clearGithubIdentity: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: githubCredentials },
  createEcosystem: { targetType: 'ecosystem', noBefore: CREATES },
  createHackathon: { targetType: 'hackathon', noBefore: CREATES },
  createJudgingCriterion: { targetType: 'judging-criterion', noBefore: CREATES },
  createOrganization: { targetType: 'organization', noBefore: CREATES },
  createResource: { targetType: 'resource', noBefore: CREATES },
  createResourceRequest: { targetType: 'resource-request', noBefore: CREATES },
  createTeam: { targetType: 'team', noBefore: CREATES },
  deleteJudgingCriterion: { targetType: 'judging-criterion', targetId: (a) => a.id, before: (a, deps) => byId('judging_criterion')(a.id, deps) },
  deleteResource: { targetType: 'resource', targetId: (a) => a.id, before: (a, deps) => byId('resource')(a.id, deps) },
  deleteResourceRequest: { targetType: 'resource-request', targetId: (a) => a.id, before: (a, deps) => byId('resource_request')(a.id, deps) },
  endAffiliation: { targetType: 'affiliation', targetId: (a) => a.id, before: (a, deps) => deps.affiliations.get(String(a.id)).catch(() => null) },
  freezeContributions: { targetType: 'hackathon', targetId: hackathonTarget, beforeIsTarget: true, before: hackathonBefore },
  grantOrganizer: { targetType: 'access-grant', noBefore: CREATES },
  joinTeam: { targetType: 'team', noBefore: 'the team is named only by its invite code (a secret, not stored); the result names the team joined' },
  leaveTeam: { targetType: 'team', targetId: (a) => a.teamId, before: team },
  mergeMembers: {
    targetType: 'member',
    targetId: (a) => a.into,
    before: async (args, deps) => {
      const [into, from] = await Promise.all([member(args.into, deps), member(args.from, deps)]);
      return { into, from };
    },
  },
  overrideContribution: { targetType: 'hackathon', targetId: hackathonTarget, before: activeOverride },
  pinAllocation: { targetType: 'team', targetId: (a) => a.teamId, before: pin },
  publishMatchingRun: {
    targetType: 'matching-run',
    targetId: (a) => a.id,
    before: (a, deps) => one(deps.db, `SELECT id, hackathon_id, status, started_by, parent_run_id, created_at, started_at FROM matching_run WHERE id::text = lower($1::text)`, [String(a.id ?? '')]),
  },
  redeliverWebhookDelivery: {
    targetType: 'webhook-delivery',
    targetId: (a) => a.id,
    // the stored delivery without its payload (a GitHub payload holds e-mail addresses and is large)
    before: (a, deps) =>
      one(deps.db, `SELECT id::text AS id, delivery_id, event, action, status, attempts, error, received_at, processed_at FROM webhook_delivery WHERE id::text = $1::text`, [String(a.id ?? '')]),
  },
  registerForHackathon: { targetType: 'hackathon', targetId: hackathonTarget, before: registration },
  rejectMergeSuggestion: { targetType: 'merge-suggestion', targetId: (a) => a.id, before: mergeSuggestion },
  removeAffiliation: { targetType: 'affiliation', targetId: (a) => a.id, before: (a, deps) => deps.affiliations.get(String(a.id)).catch(() => null) },
  removeHackathonRepositories: {
    targetType: 'hackathon',
    targetId: hackathonTarget,
    before: async (args, deps) => ({
      repositories: await rows(deps.db, `SELECT * FROM hackathon_repository WHERE hackathon_id::text = lower($1::text) ORDER BY repository_id`, [String(args.id ?? '')]),
    }),
  },
  removeJudge: { targetType: 'hackathon', targetId: hackathonTarget, before: judge },
  removeTrackedSource: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: trackedSources },
  removeWebhookSecret: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: githubCredentials },
  requestMemberDeletion: {
    targetType: 'member',
    targetId: (a) => a.memberId,
    noBefore: "the member's personal data is what the deletion removes: the audit log keeps no copy of it (member_erasure keeps the counts)",
  },
  retryFailedJob: { targetType: 'job', targetId: (a) => `${String(a.queue)}/${String(a.jobId)}`, noBefore: 'the job lives in Redis, not Postgres; the result is the job as it was in the failed list' },
  revokeAccessGrant: { targetType: 'access-grant', targetId: (a) => a.id, before: (a, deps) => byId('access_grant')(a.id, deps) },
  revokeContributionOverride: { targetType: 'hackathon', targetId: hackathonTarget, before: activeOverride },
  saveSubmission: {
    targetType: 'team',
    targetId: (a) => a.teamId,
    before: (a, deps) => one(deps.db, `SELECT * FROM submission WHERE team_id::text = lower($1::text)`, [String(a.teamId ?? '')]),
  },
  scoreSubmission: {
    targetType: 'submission',
    targetId: (a) => a.submission,
    before: async (args, deps) => {
      const id = await memberId(args.judge, deps);
      if (!id) return null;
      return one(
        deps.db,
        `SELECT s.* FROM judge_score s JOIN judge j ON j.id = s.judge_id
         WHERE s.submission_id::text = lower($1::text) AND s.criterion_id::text = lower($2::text) AND j.member_id = $3`,
        [String(args.submission ?? ''), String(args.criterion ?? ''), id],
      );
    },
  },
  setAffiliation: {
    targetType: 'member',
    targetId: (a) => a.member,
    before: async (args, deps) => {
      const id = await memberId(args.member, deps);
      return id ? { affiliations: (await deps.affiliations.byMemberIds([id]))[0] ?? [] } : null;
    },
  },
  setEcosystemDigestDefaults: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: (a, deps) => one(deps.db, `SELECT * FROM ecosystem WHERE slug = $1`, [String(a.ecosystem ?? '')]) },
  setGithubApp: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: githubCredentials },
  setTrackedSourcePaused: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: trackedSources },
  setGithubToken: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, before: githubCredentials },
  setMemberEmailPreferences: {
    targetType: 'member',
    targetId: (a) => a.memberId,
    before: (a, deps) => one(deps.db, `SELECT * FROM member_email_preference WHERE member_id::text = lower($1::text)`, [String(a.memberId ?? '')]),
  },
  startDigestRun: { targetType: 'digest-week', targetId: (a) => a.week, noBefore: 'starts background sends for a week; the (member, week) ledger rows they write are the record of what was sent' },
  startMatchingRun: { targetType: 'hackathon', targetId: hackathonTarget, noBefore: 'starts a new matching run; earlier runs are left as they are' },
  startSync: { targetType: 'ecosystem', targetId: (a) => a.ecosystem, noBefore: 'queues sync jobs; it changes no configuration' },
  transferTeamCaptain: { targetType: 'team', targetId: (a) => a.teamId, before: team },
  unassignJudge: {
    targetType: 'submission',
    targetId: (a) => a.submission,
    before: async (args, deps) => ({
      assignments: await rows(deps.db, `SELECT * FROM judge_assignment WHERE submission_id::text = lower($1::text) ORDER BY assigned_at`, [String(args.submission ?? '')]),
    }),
  },
  unmergeMember: { targetType: 'member-merge', targetId: (a) => a.mergeId, before: (a, deps) => byId('member_merge')(a.mergeId, deps) },
  unpinAllocation: { targetType: 'team', targetId: (a) => a.teamId, before: pin },
  updateHackathon: { targetType: 'hackathon', targetId: hackathonTarget, beforeIsTarget: true, before: hackathonBefore },
  updateHackathonRegistration: { targetType: 'hackathon', targetId: hackathonTarget, before: registration },
  updateJudgingCriterion: { targetType: 'judging-criterion', targetId: (a) => a.id, before: (a, deps) => byId('judging_criterion')(a.id, deps) },
  updateOrganization: { targetType: 'organization', targetId: (a) => a.id, before: (a, deps) => byId('organization')(a.id, deps) },
  updateResource: { targetType: 'resource', targetId: (a) => a.id, before: (a, deps) => byId('resource')(a.id, deps) },
  updateResourceRequest: { targetType: 'resource-request', targetId: (a) => a.id, before: (a, deps) => byId('resource_request')(a.id, deps) },
  updateStageRules: {
    targetType: 'stage-rules',
    targetId: (a) => a.ecosystem ?? 'global',
    before: (a, deps) => deps.stageRules.effective(typeof a.ecosystem === 'string' ? a.ecosystem : null).catch(() => null),
  },
  withdrawFromHackathon: { targetType: 'hackathon', targetId: hackathonTarget, before: registration },
};
