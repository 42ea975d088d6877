import type { EntityManager } from 'typeorm';
import type { DeliveryPlan } from './normalize/delivery-plan.js';

/**
 * The repositories a plan writes to, by GitHub id, each once, in first-seen order: its repository
 * row, and the repository of every pull request, issue, commit and activity. Removals and
 * restorations are keyed by source keys of the plan's repository (stars), so they add none.
 */
export function planRepositoryIds(plan: DeliveryPlan): number[] {
  const ids = new Set<number>();
  if (plan.repository) ids.add(plan.repository.id);
  for (const row of [...plan.pullRequests, ...plan.issues, ...plan.commits, ...plan.activities]) ids.add(row.repositoryId);
  return [...ids];
}

/**
 * Why a delivery verified by ecosystem `ecosystemId`'s stored webhook secret may not apply `plan`,
 * or null when it may. Issue 8 (Protection): a stored secret is trusted for its own ecosystem only,
 * so every repository the plan writes to must already belong to that ecosystem — by the rule the
 * rest of Cambrian uses for "a repository of the ecosystem": `repository.ecosystem_id` is it, or a
 * tracked source of it (paused ones included) found the repository (`tracked_source_repository`).
 * A repository Cambrian does not know yet (a repository newly created, a fork, a first event) is
 * refused too: its payload could claim any owner, so only the environment's secret, the API sync
 * or the source discovery may bring it in. One query (one round trip), run before anything is written.
 * @param manager where to read.
 * @param ecosystemId the ecosystem recorded on the delivery (`webhook_delivery.verified_by_ecosystem_id`).
 * @returns e.g. `signed with ecosystem rwkv's secret, but repository octo/cat (id 5) is not tracked by rwkv`.
 */
export async function deliveryScopeRefusal(manager: EntityManager, ecosystemId: number, plan: DeliveryPlan): Promise<string | null> {
  const ids = planRepositoryIds(plan);
  if (ids.length === 0) return null;
  const rows: Array<{ id: string; full_name: string | null; slug: string | null; tracked: boolean }> = await manager.query(
    `SELECT x.id::text AS id, r.full_name, (SELECT slug FROM ecosystem WHERE id = $1) AS slug,
            coalesce(r.ecosystem_id = $1 OR EXISTS (
              SELECT 1 FROM tracked_source_repository l JOIN tracked_source s ON s.id = l.tracked_source_id
               WHERE l.repository_id = r.id AND s.ecosystem_id = $1), false) AS tracked
       FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, n)
       LEFT JOIN repository r ON r.id = x.id
      ORDER BY x.n`,
    [ecosystemId, ids],
  );
  const outside = rows.filter((row) => !row.tracked);
  if (outside.length === 0) return null;
  const ecosystem = rows[0].slug ?? `#${ecosystemId} (no longer exists)`;
  const names = outside.map((row) => {
    const name = row.full_name ?? (plan.repository && String(plan.repository.id) === row.id ? plan.repository.fullName : null);
    return `${name ?? 'unknown'} (id ${row.id}${row.full_name === null ? ', not yet known to Cambrian' : ''})`;
  });
  const subject = names.length === 1 ? `repository ${names[0]} is` : `repositories ${names.join(', ')} are`;
  return `signed with ecosystem ${ecosystem}'s secret, but ${subject} not tracked by ${ecosystem}; nothing was written`;
}
