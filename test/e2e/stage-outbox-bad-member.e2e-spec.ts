import { StageService } from '#libs/members';
import type { EvaluateStageOutboxJobData } from '#libs/queue';
import { outboxJobs, startStageOutboxSide, type StageOutboxSide } from './stage-outbox-helpers.js';

describe('an evaluate-stage-outbox job with one member whose evaluation keeps failing', () => {
  let side: StageOutboxSide;

  beforeAll(async () => {
    side = await startStageOutboxSide({ ecosystemSlug: 'outbox-bad-member', repositoryId: 5_252_5252 });
  });

  afterAll(async () => {
    await side?.close();
  });

  const memberOf = async (login: string) => (await side.db.query(`SELECT id::text AS id FROM member WHERE login = $1`, [login])).rows[0].id as string;
  const pathOf = async (login: string) =>
    (await side.db.query(`SELECT t.to_stage FROM member_stage_transition t JOIN member m ON m.id = t.member_id WHERE m.login = $1`, [login])).rows;

  it('evaluates the others of the batch, keeps only the failing member requested, and names it in the error', async () => {
    const { db, app } = side;
    await side.star('outbox-bad-1', { id: 93_001, login: 'eve-batch' });
    await side.star('outbox-bad-2', { id: 93_002, login: 'mallory-batch' });
    expect(await side.relay.relayPending(0)).toBe(2);
    const jobs = await outboxJobs(side, ['waiting', 'delayed']);
    expect(jobs).toHaveLength(1);
    const { keys, seqs } = jobs[0]!.data as EvaluateStageOutboxJobData;
    expect(keys).toHaveLength(2);

    // mallory's evaluation fails every time (a bad row, a bug in a rule): a trigger refuses her transitions
    const mallory = await memberOf('mallory-batch');
    await db.query(`CREATE FUNCTION refuse_mallory() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.member_id = '${mallory}'::uuid THEN RAISE EXCEPTION 'refused for this member'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER refuse_mallory BEFORE INSERT ON member_stage_transition FOR EACH ROW EXECUTE FUNCTION refuse_mallory()`);

    await expect(app.get(StageService).evaluateOutbox(keys, seqs)).rejects.toThrow(`stage evaluation failed for member:${mallory}: refused for this member`);
    // the batch did not hold eve back: she is evaluated and her request is done; only mallory's stays
    expect(await pathOf('eve-batch')).toEqual([{ to_stage: 'OBSERVER' }]);
    expect(await pathOf('mallory-batch')).toEqual([]);
    expect((await db.query(`SELECT key FROM stage_evaluation_outbox`)).rows).toEqual([{ key: `member:${mallory}` }]);

    // once the fault is gone, the remaining request is evaluated like any other
    await db.query(`DROP TRIGGER refuse_mallory ON member_stage_transition`);
    const remaining = (await db.query(`SELECT key, seq::text AS seq FROM stage_evaluation_outbox`)).rows as Array<{ key: string; seq: string }>;
    await app.get(StageService).evaluateOutbox(remaining.map((row) => row.key), remaining.map((row) => row.seq));
    expect(await pathOf('mallory-batch')).toEqual([{ to_stage: 'OBSERVER' }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM stage_evaluation_outbox`)).rows[0].n).toBe(0);
  });
});
