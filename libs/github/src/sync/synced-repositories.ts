/**
 * SQL (a subquery of repository ids, parameter `$1` = ecosystem id) of the repositories an
 * ecosystem syncs: those found through a source that is not paused, except forks found by
 * listing an organisation or user (their history is mostly upstream's; a fork tracked by name
 * is synced).
 */
export const SYNCED_REPOSITORY_IDS_SQL = `
  SELECT DISTINCT l.repository_id
  FROM tracked_source_repository l
  JOIN tracked_source s ON s.id = l.tracked_source_id
  JOIN repository r ON r.id = l.repository_id
  WHERE s.ecosystem_id = $1 AND NOT s.paused AND (s.kind = 'repository' OR NOT r.is_fork)`;
