import { z } from 'zod';

/**
 * The stage rules of Cambrian (issue 4; DESIGN.md "Stage"). Defaults below; an admin can change
 * them globally or per ecosystem (`stage_rules`, the `updateStageRules` mutation). Every member's
 * path is evaluated from their whole activity history in the ecosystem (repositories whose
 * `ecosystem_id` is set), in order of `occurred_at` (then source key), so the result does not
 * depend on the order activities arrived in.
 *
 * **Accepted contribution** — work of the member that the project took:
 * - a `commit` activity credited to the member as author or `Co-authored-by` co-author (Cambrian
 *   records commits of the default branch: the sync lists the default branch, webhooks and GH
 *   Archive pushes to it), except merge commits (`facts.merge`); one per commit however many
 *   repositories contain it;
 * - a `pull_request_merged` activity (credited to the pull request's author, at `merged_at`).
 * Opened, closed or unmerged pull requests, reviews, comments, issues and releases are not.
 *
 * **Maintainer action** — a merge of a pull request whose author is another member
 * (`pull_request.merged_by_account_id`, or `facts.merged_by.id` of the webhook), dated at the
 * merge; or a `review` with state APPROVED (GitHub does not let authors approve their own pull
 * requests, and an approval of a pull request whose known author is the same member is ignored).
 *
 * Stages, ranked (a member can skip ranks; a rank once reached is kept except for LAPSED):
 * 1. OBSERVER — starred or forked a repository;
 * 2. USER — any other activity that is not an accepted contribution (opened or commented an issue,
 *    opened, closed or reviewed a pull request, commented, published a release, merge commits);
 * 3. FIRST_TIME_CONTRIBUTOR — the first accepted contribution;
 * 4. REGULAR_CONTRIBUTOR — at an accepted contribution, the member's accepted contributions fall
 *    in at least `regular.minWeeks` distinct ISO weeks (UTC, Monday first; ISO 8601) among the
 *    `regular.windowWeeks` weeks ending with the contribution's week (default 3 of 12);
 * 5. MAINTAINER — at the maintainer action that brings the member's merges of others' pull
 *    requests to `maintainer.minMergesOfOthers` (default 1: merging needs write access) or their
 *    approvals to `maintainer.minApprovalsOfOthers` (default 3: anyone with read access can
 *    approve on GitHub, so one approval is weak evidence).
 * LAPSED — a member at FIRST_TIME_CONTRIBUTOR or above with no accepted contribution and no
 * maintainer action for `lapsed.afterWeeks` weeks (default 26, about six months; CHAOSS
 * "Inactive Contributors" leaves the period to the community) lapses at the instant the period
 * ends (last contribution + afterWeeks × 7 days). The next accepted contribution or maintainer
 * action returns them, at its instant, to the rank they held (or the higher rank it earns).
 * Only persons have stages: bots and the deleted-user sentinel never do.
 */
export const stageRulesSchema = z
  .object({
    regular: z
      .object({
        minWeeks: z.int().min(1).max(52),
        windowWeeks: z.int().min(1).max(104),
      })
      .refine((rule) => rule.minWeeks <= rule.windowWeeks, { message: 'regular.minWeeks must not exceed regular.windowWeeks' }),
    maintainer: z.object({
      minMergesOfOthers: z.int().min(1).max(1000),
      minApprovalsOfOthers: z.int().min(1).max(1000),
    }),
    lapsed: z.object({
      afterWeeks: z.int().min(1).max(520),
    }),
  })
  .strict();

/** Validated stage rules (see {@link stageRulesSchema} for what each one means). */
export type StageRules = z.infer<typeof stageRulesSchema>;

/** A partial change of the rules, merged over the rules in force. */
export type StageRulesPatch = {
  regular?: Partial<StageRules['regular']>;
  maintainer?: Partial<StageRules['maintainer']>;
  lapsed?: Partial<StageRules['lapsed']>;
};

/** Cambrian's default rules (rule version 0). */
export const DEFAULT_STAGE_RULES: StageRules = Object.freeze({
  regular: { minWeeks: 3, windowWeeks: 12 },
  maintainer: { minMergesOfOthers: 1, minApprovalsOfOthers: 3 },
  lapsed: { afterWeeks: 26 },
}) as StageRules;

/** Rules with the version that names them (0: the built-in defaults). */
export interface VersionedStageRules {
  rules: StageRules;
  version: number;
}

/**
 * Merges a patch over `base` and validates the result.
 * @throws StageRulesException naming every invalid field.
 */
export function applyStageRulesPatch(base: StageRules, patch: StageRulesPatch): StageRules {
  const merged = {
    regular: { ...base.regular, ...stripUndefined(patch.regular) },
    maintainer: { ...base.maintainer, ...stripUndefined(patch.maintainer) },
    lapsed: { ...base.lapsed, ...stripUndefined(patch.lapsed) },
  };
  return parseStageRules(merged);
}

/**
 * Validates stored or submitted rules.
 * @throws StageRulesException naming every invalid field.
 */
export function parseStageRules(value: unknown): StageRules {
  const parsed = stageRulesSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'rules'}: ${issue.message}`);
  throw new StageRulesException(`Invalid stage rules: ${problems.join('; ')}`);
}

/** Stage rules that fail validation (GraphQL: BAD_USER_INPUT). */
export class StageRulesException extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'StageRulesException';
  }
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
