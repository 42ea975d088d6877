/**
 * SQL pieces for writing a repository's changeable state (owner and name, default branch, fork and
 * archived flags, star and fork counts, topics) in an `INSERT INTO repository ... ON CONFLICT (id) DO
 * UPDATE` whose rows carry `state_observed_at`: the UTC instant of the observation (a webhook
 * delivery's receipt, the instant the sync asked GitHub). The newest observation wins whatever order the
 * writes come in, so a delivery processed late (a retry after an outage, a redelivery) never puts back
 * older counts or an older name.
 *
 * An observation that changes nothing writes nothing (no row version), except that the stored instant
 * moves forward once it is more than {@link REPOSITORY_STATE_FRESHNESS_SECONDS} behind: a late write
 * observed within that many seconds before the newest unchanged observation can still apply its state.
 */

/** Seconds an unchanged observation may run ahead of the stored `state_observed_at` before it is written. */
export const REPOSITORY_STATE_FRESHNESS_SECONDS = 60;

/** True when the incoming row (`EXCLUDED`) observed the repository no earlier than the stored state. */
export const INCOMING_STATE_IS_CURRENT = `(repository.state_observed_at IS NULL OR EXCLUDED.state_observed_at >= repository.state_observed_at)`;

/** True when the stored observation instant is to move forward although no state changes. */
export const OBSERVATION_INSTANT_ADVANCES = `(EXCLUDED.state_observed_at IS NOT NULL AND (repository.state_observed_at IS NULL
  OR EXCLUDED.state_observed_at > repository.state_observed_at + interval '${REPOSITORY_STATE_FRESHNESS_SECONDS} seconds'))`;

/** `SET` item: `column` takes `value` when the incoming observation is current, else keeps the stored value. */
export function setWhenCurrent(column: string, value: string): string {
  return `${column} = CASE WHEN ${INCOMING_STATE_IS_CURRENT} THEN ${value} ELSE repository.${column} END`;
}

/** `SET` item keeping the newest observation instant. */
export const SET_STATE_OBSERVED_AT = `state_observed_at = GREATEST(repository.state_observed_at, EXCLUDED.state_observed_at)`;
