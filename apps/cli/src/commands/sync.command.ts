import type { Command } from 'commander';
import { Module } from '@nestjs/common';
import cliProgress from 'cli-progress';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ALL_REPOSITORY_RESOURCES, EcosystemService, EcosystemSyncService, GithubSyncModule, SyncSchedulerService, type SyncProgress } from '#libs/github';
import { withContext } from './ecosystem.command.js';

/** What `cambrian sync` needs: the sync services and the github-sync queue. */
@Module({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] })
class SyncCliModule {}

function describe(progress: SyncProgress): string {
  return `${progress.commits} commits · ${progress.pullRequests} pull requests · ${progress.requests} requests (${progress.notModified} × 304)`;
}

/**
 * `cambrian sync <slug> [--wait]`: without `--wait`, enqueues the ecosystem's discovery job
 * (a worker fans out one job per repository); with `--wait`, runs discovery and every
 * repository sync in this process and shows progress. Exits non-zero when a repository failed.
 */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync <slug>')
    .description("sync an ecosystem's repositories from GitHub (GITHUB_API_URL)")
    .option('--wait', 'run the sync in this process and show progress, instead of enqueueing it for the workers')
    .option('--concurrency <n>', 'repositories synced at once with --wait', (value) => Number.parseInt(value, 10), 3)
    .action((slug: string, options: { wait?: boolean; concurrency: number }) =>
      withContext(SyncCliModule, async (app) => {
        const ecosystem = await app.get(EcosystemService).getBySlug(slug);
        if (!options.wait) {
          const job = await app.get(SyncSchedulerService).requestDiscovery(ecosystem.id);
          console.log(`discovery of ${ecosystem.slug}: ${job.status} (job ${job.jobId}); workers sync each repository`);
          return;
        }
        const interactive = process.stdout.isTTY === true;
        const bar = new cliProgress.SingleBar(
          { format: 'sync |{bar}| {value}/{total} repositories · {detail}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        const result = await app.get(EcosystemSyncService).syncInProcess(ecosystem.id, {
          concurrency: options.concurrency,
          resources: ALL_REPOSITORY_RESOURCES,
          onProgress: (progress) => {
            if (!interactive) {
              console.log(`${progress.repositories.done}/${progress.repositories.total} repositories · ${describe(progress)}`);
            } else if (!started) {
              bar.start(progress.repositories.total, progress.repositories.done, { detail: describe(progress) });
              started = true;
            } else {
              bar.update(progress.repositories.done, { detail: describe(progress) });
            }
          },
        });
        if (started) bar.stop();
        for (const source of result.discovery.sources.filter((item) => item.error)) {
          console.error(`discovery of ${source.kind} ${source.name} failed: ${source.error}`);
        }
        for (const failure of result.failures) console.error(`repository ${failure.repositoryId} failed: ${failure.error}`);
        const skipped = result.repositories.filter((repository) => repository.skipped);
        for (const repository of skipped) {
          console.error(`repository ${repository.fullName} skipped: ${repository.skipped} (another sync holds it)`);
        }
        const { repositories } = result.progress;
        console.log(`synced ${repositories.done}/${repositories.total} repositories of ${ecosystem.slug} · ${describe(result.progress)}`);
        const discoveryFailed = result.discovery.sources.some((source) => source.error);
        // non-zero when anything asked for did not happen, so scripts and cron notice
        if (result.failures.length > 0 || discoveryFailed || skipped.length > 0) process.exitCode = 1;
      }),
    );
}
