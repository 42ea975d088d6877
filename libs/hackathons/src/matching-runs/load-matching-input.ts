import type { EntityManager } from 'typeorm';

/**
 * Reads what a hackathon's matching is built from, as the JSON text of a {@link MatchingInput}:
 * teams (size, registered skills of their members, withdrawn registrations left out),
 * resources, requests and pins. Postgres builds the JSON and the text goes to the worker thread
 * untouched (a string is copied, not serialised), so that neither parsing 200,000 request rows
 * nor copying them blocks the event loop of the job. Core tables are read with SQL (migration
 * 1764700000000).
 */
export async function loadMatchingInputJson(manager: EntityManager, hackathonId: string): Promise<string> {
  const [row]: Array<{ input: string }> = await manager.query(
    `SELECT json_build_object(
       'teams', (
         SELECT coalesce(json_agg(json_build_object('id', t.id, 'size', t.size, 'skills', t.skills)), '[]')
         FROM (
           SELECT t.id, count(DISTINCT tm.member_id)::int AS size,
                  coalesce(array_agg(DISTINCT lower(s.skill)) FILTER (WHERE s.skill IS NOT NULL), '{}') AS skills
           FROM team t
           LEFT JOIN team_member tm ON tm.team_id = t.id
           LEFT JOIN hackathon_registration r ON r.hackathon_id = t.hackathon_id AND r.member_id = tm.member_id AND r.withdrawn_at IS NULL
           LEFT JOIN LATERAL unnest(r.skills) AS s(skill) ON true
           WHERE t.hackathon_id = $1
           GROUP BY t.id
         ) t),
       'resources', (
         SELECT coalesce(json_agg(json_build_object('id', id, 'kind', kind, 'capacity', capacity, 'perTeamMax', per_team_max, 'tags', tags,
                  'eligibilityMinTeamSize', eligibility_min_team_size, 'eligibilitySkills', eligibility_skills)), '[]')
         FROM resource WHERE hackathon_id = $1),
       'requests', (
         SELECT coalesce(json_agg(json_build_object('teamId', team_id, 'resourceId', resource_id, 'kind', kind, 'amount', amount,
                  'rank', rank, 'tags', tags)), '[]')
         FROM resource_request WHERE hackathon_id = $1),
       'pins', (
         SELECT coalesce(json_agg(json_build_object('teamId', team_id, 'resourceId', resource_id, 'units', units)), '[]')
         FROM allocation_pin WHERE hackathon_id = $1)
     )::text AS input`,
    [hackathonId],
  );
  return row.input;
}
