/** BullMQ queue names, in one place. */
export enum QueueName {
  Webhooks = 'webhooks',
  GithubSync = 'github-sync',
}

/** BullMQ job names, in one place. */
export enum JobName {
  /** Normalise one stored webhook delivery into activities and entity upserts. */
  ProcessDelivery = 'process-delivery',
  /** Discover the repositories of an ecosystem's tracked organisations and users. */
  DiscoverRepositories = 'discover-repositories',
  /** Sync one repository's resources (commits, pull requests) from its stored cursors. */
  SyncRepository = 'sync-repository',
}

/** Payload of {@link JobName.ProcessDelivery}: the `webhook_delivery.id` row id only. */
export interface ProcessDeliveryJobData {
  deliveryRowId: string;
}

/** Payload of {@link JobName.DiscoverRepositories}. */
export interface DiscoverRepositoriesJobData {
  ecosystemId: number;
}

/** Payload of {@link JobName.SyncRepository}: GitHub's numeric repository id. */
export interface SyncRepositoryJobData {
  repositoryId: number;
}
