import type { EntityManager } from 'typeorm';
import type { MatchingPin } from '../matching/matching-problem.js';
import type { RequestInput, ResourceInput, TeamInput } from './build-matching-problem.js';

/**
 * Reads what a hackathon's matching is built from: teams (size, registered skills of their
 * members, withdrawn registrations left out), resources, requests and pins. Core tables are
 * read with SQL (migration 1764700000000).
 */
export async function loadMatchingInput(
  manager: EntityManager,
  hackathonId: string,
): Promise<{ teams: TeamInput[]; resources: ResourceInput[]; requests: RequestInput[]; pins: MatchingPin[] }> {
  const teams: Array<{ id: string; size: number; skills: string[] }> = await manager.query(
    `SELECT t.id, count(tm.member_id)::int AS size,
            coalesce(array_agg(DISTINCT lower(s.skill)) FILTER (WHERE s.skill IS NOT NULL), '{}') AS skills
     FROM team t
     LEFT JOIN team_member tm ON tm.team_id = t.id
     LEFT JOIN hackathon_registration r ON r.hackathon_id = t.hackathon_id AND r.member_id = tm.member_id AND r.withdrawn_at IS NULL
     LEFT JOIN LATERAL unnest(r.skills) AS s(skill) ON true
     WHERE t.hackathon_id = $1
     GROUP BY t.id`,
    [hackathonId],
  );
  const resources: Array<{ id: string; kind: ResourceInput['kind']; capacity: number; per_team_max: number; tags: string[]; eligibility_min_team_size: number | null; eligibility_skills: string[] }> =
    await manager.query(
      `SELECT id, kind, capacity, per_team_max, tags, eligibility_min_team_size, eligibility_skills FROM resource WHERE hackathon_id = $1`,
      [hackathonId],
    );
  const requests: Array<{ team_id: string; resource_id: string | null; kind: RequestInput['kind']; amount: number; rank: number; tags: string[] }> = await manager.query(
    `SELECT team_id, resource_id, kind, amount, rank, tags FROM resource_request WHERE hackathon_id = $1`,
    [hackathonId],
  );
  const pins: Array<{ team_id: string; resource_id: string; units: number }> = await manager.query(
    `SELECT team_id, resource_id, units FROM allocation_pin WHERE hackathon_id = $1`,
    [hackathonId],
  );
  return {
    teams: teams.map((t) => ({ id: t.id, size: t.size, skills: t.skills })),
    resources: resources.map((r) => ({
      id: r.id,
      kind: r.kind,
      capacity: r.capacity,
      perTeamMax: r.per_team_max,
      tags: r.tags,
      eligibilityMinTeamSize: r.eligibility_min_team_size,
      eligibilitySkills: r.eligibility_skills,
    })),
    requests: requests.map((r) => ({ teamId: r.team_id, resourceId: r.resource_id, kind: r.kind, amount: r.amount, rank: r.rank, tags: r.tags })),
    pins: pins.map((p) => ({ teamId: p.team_id, resourceId: p.resource_id, units: p.units })),
  };
}
