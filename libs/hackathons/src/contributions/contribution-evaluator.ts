import type { EntityManager } from 'typeorm';
import { decideEligibility, isOwnTeamReview, type ContributionFacts, type RegistrationState } from './eligibility.js';
import type { EvaluatedContribution, HackathonRules } from './contribution.types.js';

/** A registration followed through member merges to the member the activities credit now. */
export interface Participant {
  /** The member activities are credited to now (`merged_into_id` followed). */
  memberId: string;
  registration: RegistrationState;
  teamId: string | null;
}

interface RegistrationRow {
  member_id: string;
  withdrawn: boolean;
  team_id: string | null;
}

interface PullRequestRow {
  repository_id: string;
  number: number;
  member_id: string;
  occurred_at: Date;
  labels: string[] | null;
  fact_labels: unknown;
  topics: string[] | null;
  listed: boolean;
}

interface ReviewRow {
  repository_id: string;
  number: number;
  member_id: string;
  occurred_at: Date;
  labels: string[] | null;
  fact_labels: unknown;
  topics: string[] | null;
  listed: boolean;
  author_member_id: string | null;
}

/**
 * The participants of a hackathon: each registration's member followed through
 * `member.merged_into_id` (a merge moves activities, not registrations), with its team. A member
 * with an active registration is `registered`, else `withdrawn`.
 */
export async function loadParticipants(manager: EntityManager, hackathonId: string): Promise<Map<string, Participant>> {
  const rows: RegistrationRow[] = await manager.query(
    `WITH RECURSIVE chain AS (
       SELECT r.id AS registration_id, r.member_id AS registered_id, r.member_id, r.withdrawn_at IS NOT NULL AS withdrawn, 0 AS depth
       FROM hackathon_registration r WHERE r.hackathon_id = $1
       UNION ALL
       SELECT c.registration_id, c.registered_id, m.merged_into_id, c.withdrawn, c.depth + 1
       FROM chain c JOIN member m ON m.id = c.member_id
       WHERE m.merged_into_id IS NOT NULL AND c.depth < 20)
     SELECT DISTINCT ON (c.registration_id) c.member_id, c.withdrawn, tm.team_id
     FROM chain c LEFT JOIN team_member tm ON tm.hackathon_id = $1 AND tm.member_id = c.registered_id
     ORDER BY c.registration_id, c.depth DESC`,
    [hackathonId],
  );
  const participants = new Map<string, Participant>();
  for (const row of rows) {
    const known = participants.get(row.member_id);
    const registration: RegistrationState = row.withdrawn ? 'withdrawn' : 'registered';
    participants.set(row.member_id, {
      memberId: row.member_id,
      registration: known?.registration === 'registered' ? 'registered' : registration,
      teamId: known?.teamId ?? row.team_id,
    });
  }
  return participants;
}

const labelsOf = (stored: string[] | null, fromFacts: unknown): string[] =>
  stored ?? (Array.isArray(fromFacts) ? fromFacts.filter((label): label is string => typeof label === 'string') : []);

/**
 * Evaluates, from the live data, every pull request opened and every review submitted inside the
 * event window by a participant (registered or withdrawn), in the ecosystem's repositories and the
 * event's listed ones. Sources are merged by construction: activities are unique by source key,
 * the same for a webhook, the REST sync and GH Archive, so a pull request is one
 * `pull_request_opened` activity whichever source wrote it. Labels come from the `pull_request`
 * row when a source told them, else from the opened activity's facts (GH Archive writes no row).
 * Removed activities (`removed_at`) are skipped.
 */
export async function evaluateLive(manager: EntityManager, rules: HackathonRules, participants: Map<string, Participant>): Promise<EvaluatedContribution[]> {
  const memberIds = [...participants.keys()];
  if (memberIds.length === 0) return [];
  const params = [rules.id, memberIds, rules.startsAt.toISOString(), rules.endsAt.toISOString(), rules.ecosystemId];
  const pulls: PullRequestRow[] = await manager.query(
    `SELECT DISTINCT ON (a.repository_id, (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END))
       a.repository_id, (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END) AS number, a.member_id, a.occurred_at,
       pr.labels, a.facts->'labels' AS fact_labels, repo.topics, hr.repository_id IS NOT NULL AS listed
     FROM activity a
     JOIN repository repo ON repo.id = a.repository_id
     LEFT JOIN hackathon_repository hr ON hr.hackathon_id = $1 AND hr.repository_id = a.repository_id
     LEFT JOIN pull_request pr ON pr.repository_id = a.repository_id AND pr.number = (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END)
     WHERE a.type = 'pull_request_opened' AND a.removed_at IS NULL AND a.member_id = ANY($2::uuid[])
       AND a.occurred_at >= $3 AND a.occurred_at < $4 AND jsonb_typeof(a.facts->'number') = 'number'
       AND (repo.ecosystem_id = $5 OR hr.repository_id IS NOT NULL)
     ORDER BY a.repository_id, (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END), a.occurred_at`,
    params,
  );
  const reviews: ReviewRow[] = await manager.query(
    `SELECT DISTINCT ON (a.repository_id, (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END), a.member_id)
       a.repository_id, (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END) AS number, a.member_id, a.occurred_at,
       pr.labels, opened.facts->'labels' AS fact_labels, repo.topics, hr.repository_id IS NOT NULL AS listed,
       COALESCE(opened.member_id, author.member_id) AS author_member_id
     FROM activity a
     JOIN repository repo ON repo.id = a.repository_id
     LEFT JOIN hackathon_repository hr ON hr.hackathon_id = $1 AND hr.repository_id = a.repository_id
     LEFT JOIN pull_request pr ON pr.repository_id = a.repository_id AND pr.number = (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END)
     LEFT JOIN github_account author ON author.id = pr.author_account_id
     LEFT JOIN activity opened ON opened.source_key = 'pull_request:' || a.repository_id || ':' || (a.facts->>'number') || ':opened'
     WHERE a.type = 'review' AND a.removed_at IS NULL AND a.member_id = ANY($2::uuid[])
       AND a.occurred_at >= $3 AND a.occurred_at < $4 AND jsonb_typeof(a.facts->'number') = 'number'
       AND (repo.ecosystem_id = $5 OR hr.repository_id IS NOT NULL)
     ORDER BY a.repository_id, (CASE WHEN jsonb_typeof(a.facts->'number') = 'number' THEN (a.facts->>'number')::int END), a.member_id, a.occurred_at`,
    params,
  );
  const decide = (facts: ContributionFacts) => decideEligibility(facts, rules);
  const result: EvaluatedContribution[] = [];
  for (const row of pulls) {
    const participant = participants.get(row.member_id)!;
    const facts: ContributionFacts = {
      kind: 'pull_request',
      occurredAt: row.occurred_at.toISOString(),
      registration: participant.registration,
      repositoryListed: row.listed,
      repositoryTopics: row.topics ?? [],
      labels: labelsOf(row.labels, row.fact_labels),
      ofOwnTeam: null,
    };
    result.push({
      subjectKey: `pr:${row.repository_id}:${row.number}`,
      kind: 'pull_request',
      repositoryId: Number(row.repository_id),
      pullRequestNumber: row.number,
      memberId: row.member_id,
      teamId: participant.teamId,
      occurredAt: row.occurred_at,
      facts,
      decision: decide(facts),
    });
  }
  for (const row of reviews) {
    const reviewer = participants.get(row.member_id)!;
    const author = row.author_member_id ? participants.get(row.author_member_id) : undefined;
    const ofOwnTeam = isOwnTeamReview(reviewer, { memberId: row.author_member_id, teamId: author?.teamId ?? null });
    const facts: ContributionFacts = {
      kind: 'review',
      occurredAt: row.occurred_at.toISOString(),
      registration: reviewer.registration,
      repositoryListed: row.listed,
      repositoryTopics: row.topics ?? [],
      labels: labelsOf(row.labels, row.fact_labels),
      ofOwnTeam,
    };
    result.push({
      subjectKey: `review:${row.repository_id}:${row.number}:${row.member_id}`,
      kind: 'review',
      repositoryId: Number(row.repository_id),
      pullRequestNumber: row.number,
      memberId: row.member_id,
      teamId: reviewer.teamId,
      occurredAt: row.occurred_at,
      facts,
      decision: decide(facts),
    });
  }
  return result;
}
