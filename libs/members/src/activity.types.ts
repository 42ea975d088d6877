import type { ActivitySource, ActivityType } from './activity.entity.js';
import type { ActorRef } from './identity.types.js';

/** One contribution-like fact to record, before its actor is resolved. */
export interface ActivityInput {
  type: ActivityType;
  /** UTC instant of the fact (GitHub's `created_at`, `merged_at`, commit author date...). */
  occurredAt: Date;
  repositoryId: number;
  actor: ActorRef;
  source: ActivitySource;
  /**
   * Stable key of the fact, the same whichever source reports it, e.g. `commit:<sha>`,
   * `pull_request:<repo id>:<number>:opened`. A second insert with the key changes nothing.
   */
  sourceKey: string;
  /** Small facts worth showing (number, title, url); never a whole payload. */
  facts?: Record<string, unknown>;
}

/** What a call to {@link ActivityService.record} did. */
export interface RecordResult {
  inserted: number;
  /** Already present (same source key) or without an actor. */
  skipped: number;
}
