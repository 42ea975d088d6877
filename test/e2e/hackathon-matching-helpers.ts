import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../helpers/factories.js';

/** Polls `matching_run` until the run has one of `statuses` (fails after `timeoutMs`). */
export async function waitForRun(db: Queryable, runId: string, statuses: string[], timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let status = '';
  while (Date.now() < deadline) {
    status = (await db.query(`SELECT status, error FROM matching_run WHERE id = $1`, [runId])).rows[0]?.status;
    if (statuses.includes(status)) return status;
    if (status === 'failed' && !statuses.includes('failed')) {
      throw new Error(`run ${runId} failed: ${(await db.query(`SELECT error FROM matching_run WHERE id = $1`, [runId])).rows[0].error}`);
    }
    await sleep(50);
  }
  throw new Error(`run ${runId} is still ${status} after ${timeoutMs} ms`);
}

/** A hackathon of the ecosystem (window in 2025). */
export async function createHackathon(db: Queryable, ecosystemId: number, slug: string): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO hackathon (ecosystem_id, slug, name, starts_at, ends_at, status)
     VALUES ($1, $2, $2, '2025-06-01T00:00:00Z', '2025-06-03T00:00:00Z', 'running') RETURNING id`,
    [ecosystemId, slug],
  );
  return rows[0].id;
}

/** A team with its members registered (with `skills`). */
export async function createTeam(db: Queryable, hackathonId: string, name: string, memberIds: string[], skills: string[] = []): Promise<string> {
  const { rows } = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, $2, $3) RETURNING id`, [
    hackathonId,
    name,
    randomBytes(12).toString('hex'),
  ]);
  for (const memberId of memberIds) {
    await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id, skills) VALUES ($1, $2, $3)`, [hackathonId, memberId, skills]);
    await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [rows[0].id, hackathonId, memberId]);
  }
  return rows[0].id;
}

/**
 * A hackathon with four teams and three resources: H100 hours (8, at most 6 per team, tag
 * cuda), A100 hours (20, at most 10 per team) and the mentor Bo (4 hours, 2 per team, teams of
 * two or more, tag rwkv). Alpha (3 members) wants H100, then any GPU hours, then Bo; Bravo (2)
 * H100 then A100; Charlie (2) Bo then A100; Delta (1 member) Bo — not eligible — then A100.
 */
export async function createMatchingHackathon(db: Queryable, ecosystemId: number, member: (login: string) => Promise<{ memberId: string }>) {
  const id = await createHackathon(db, ecosystemId, `match-${randomBytes(3).toString('hex')}`);
  const m = async (login: string) => (await member(`${login}-${randomBytes(3).toString('hex')}`)).memberId;
  const teams = {
    alpha: await createTeam(db, id, 'Alpha', [await m('a1'), await m('a2'), await m('a3')], ['cuda']),
    bravo: await createTeam(db, id, 'Bravo', [await m('b1'), await m('b2')]),
    charlie: await createTeam(db, id, 'Charlie', [await m('c1'), await m('c2')]),
    delta: await createTeam(db, id, 'Delta', [await m('d1')]),
  };
  const resource = async (kind: string, name: string, capacity: number, perTeamMax: number, tags: string[], extra: { mentor?: string; minSize?: number } = {}) =>
    (
      await db.query(
        `INSERT INTO resource (hackathon_id, kind, name, sponsor, capacity, per_team_max, tags, mentor_member_id, eligibility_min_team_size)
         VALUES ($1, $2, $3, 'RWKV Foundation', $4, $5, $6, $7, $8) RETURNING id`,
        [id, kind, name, capacity, perTeamMax, tags, extra.mentor ?? null, extra.minSize ?? null],
      )
    ).rows[0].id as string;
  const resources = {
    h100: await resource('gpu_hours', 'H100 hours', 8, 6, ['cuda']),
    a100: await resource('gpu_hours', 'A100 hours', 20, 10, []),
    mentor: await resource('mentor_hours', 'Mentor Bo', 4, 2, ['rwkv'], { mentor: await m('bo'), minSize: 2 }),
  };
  const request = (teamId: string, target: { resourceId?: string; kind?: string }, amount: number, rank: number, tags: string[] = []) =>
    db.query(`INSERT INTO resource_request (hackathon_id, team_id, resource_id, kind, amount, rank, tags) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id,
      teamId,
      target.resourceId ?? null,
      target.kind ?? null,
      amount,
      rank,
      tags,
    ]);
  await request(teams.alpha, { resourceId: resources.h100 }, 6, 1, ['cuda']);
  await request(teams.alpha, { kind: 'gpu_hours' }, 10, 2);
  await request(teams.alpha, { resourceId: resources.mentor }, 2, 3, ['rwkv']);
  await request(teams.bravo, { resourceId: resources.h100 }, 6, 1);
  await request(teams.bravo, { resourceId: resources.a100 }, 10, 2);
  await request(teams.charlie, { resourceId: resources.mentor }, 2, 1, ['rwkv']);
  await request(teams.charlie, { resourceId: resources.a100 }, 5, 2);
  await request(teams.delta, { resourceId: resources.mentor }, 2, 1);
  await request(teams.delta, { resourceId: resources.a100 }, 4, 2);
  return { id, teams, resources };
}
