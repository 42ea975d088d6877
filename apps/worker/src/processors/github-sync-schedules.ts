import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { JobName, JobSchedulerId, QueueName } from '#libs/queue';

/**
 * Registers the `github-sync` queue's reconciliation scheduler at boot: every
 * `GITHUB_RECONCILE_EVERY_SECONDS` seconds, a {@link JobName.ReconcileEcosystems} job requests
 * discovery (then one sync per repository) of every ecosystem, re-syncing what webhooks missed
 * (GitHub does not redeliver failed deliveries by itself; issue 3). `upsertJobScheduler` with the
 * stable id {@link JobSchedulerId.Reconcile} means restarts and deploys (a changed interval
 * included) update the one scheduler instead of adding another (case J1). Likewise, every
 * `GITHUB_PROFILE_SYNC_EVERY_SECONDS` seconds a {@link JobName.SyncProfiles} job reads the GitHub
 * profiles due for a fetch (stable id {@link JobSchedulerId.ProfileSync}).
 */
@Injectable()
export class GithubSyncSchedules implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.GithubSync) private readonly queue: Queue,
    @Inject(CAMBRIAN_CONFIG)
    private readonly config: Pick<CambrianConfig, 'GITHUB_RECONCILE_EVERY_SECONDS' | 'GITHUB_PROFILE_SYNC_EVERY_SECONDS'>,
  ) {}

  /**
   * The first run is one interval after the scheduler is created (or its interval changed), not at
   * boot: `startDate` only applies then; a restart with the same interval keeps the pending run
   * where it was, so frequent restarts neither add nor postpone reconciliations.
   */
  async onApplicationBootstrap(): Promise<void> {
    const everyMs = this.config.GITHUB_RECONCILE_EVERY_SECONDS * 1000;
    await this.queue.upsertJobScheduler(
      JobSchedulerId.Reconcile,
      { every: everyMs, startDate: Date.now() + everyMs },
      { name: JobName.ReconcileEcosystems, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    const profilesEveryMs = this.config.GITHUB_PROFILE_SYNC_EVERY_SECONDS * 1000;
    await this.queue.upsertJobScheduler(
      JobSchedulerId.ProfileSync,
      { every: profilesEveryMs, startDate: Date.now() + profilesEveryMs },
      { name: JobName.SyncProfiles, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
