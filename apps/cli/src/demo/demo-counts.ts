import type { DataSource } from 'typeorm';

/** What the demo shows beyond the sync's own progress: members and webhook deliveries. */
export interface DemoCounts {
  /** Persons with at least one activity in the ecosystem (bots and deleted users excluded). */
  members: number;
  bots: number;
  deliveries: number;
  /** Deliveries the worker has finished with (processed, ignored or failed). */
  deliveriesDone: number;
  deliveriesFailed: number;
}

/** Reads {@link DemoCounts} for one ecosystem in one round trip. */
export async function readDemoCounts(dataSource: DataSource, ecosystemId: number): Promise<DemoCounts> {
  const [row] = await dataSource.query(
    `WITH active AS (
       SELECT DISTINCT a.member_id FROM activity a JOIN repository r ON r.id = a.repository_id
       WHERE r.ecosystem_id = $1)
     SELECT
       (SELECT count(*) FROM active JOIN member m ON m.id = active.member_id WHERE m.kind = 'person')::int AS members,
       (SELECT count(*) FROM active JOIN member m ON m.id = active.member_id WHERE m.kind = 'bot')::int AS bots,
       (SELECT count(*) FROM webhook_delivery)::int AS deliveries,
       (SELECT count(*) FROM webhook_delivery WHERE status IN ('processed', 'ignored', 'failed'))::int AS deliveries_done,
       (SELECT count(*) FROM webhook_delivery WHERE status = 'failed')::int AS deliveries_failed`,
    [ecosystemId],
  );
  return {
    members: row.members,
    bots: row.bots,
    deliveries: row.deliveries,
    deliveriesDone: row.deliveries_done,
    deliveriesFailed: row.deliveries_failed,
  };
}
