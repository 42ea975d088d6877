import type { Command } from 'commander';
import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { GharchiveImportModule, GharchiveImportService, type GharchiveImportProgress } from '#libs/github';
import { withContext } from './ecosystem.command.js';

/** What `cambrian import` needs: the database and the GH Archive importer. */
@Module({ imports: [ConfigModule, DatabaseModule, GharchiveImportModule] })
class ImportCliModule {}

function describe(p: GharchiveImportProgress): string {
  return (
    `files ${p.filesDone}/${p.files} · events read ${p.eventsRead} · kept ${p.eventsKept} · ` +
    `activities written ${p.activitiesWritten} (existing ${p.activitiesExisting}, unattributed ${p.activitiesUnattributed}) · ` +
    `${Math.round(p.eventsPerSecond)} events/s · ${Math.round(p.activitiesPerSecond)} activities/s` +
    (p.malformedLines ? ` · malformed lines ${p.malformedLines}` : '') +
    (p.failedFiles.length ? ` · files failed ${p.failedFiles.length}` : '')
  );
}

/**
 * `cambrian import gharchive <file-or-dir> [--all]`: backfills activities from GH Archive files
 * (see GharchiveImportService). Progress goes to stderr once a second; the summary to stdout.
 * Running it again adds nothing, so an interrupted import is resumed by re-running it. A file
 * that cannot be read to its end (truncated gzip) is reported and the exit code is 1, after
 * every event read (from it and the other files) is written.
 */
export function registerImportCommand(program: Command): void {
  const command = program.command('import').description('import history from offline sources');
  command
    .command('gharchive <path>')
    .description('import GH Archive hourly files (.json.gz, .json, .ndjson; a directory: all of them in name order)')
    .option('--all', 'import the events of every repository, not only tracked ones (for testing)')
    .option('--batch-size <n>', 'activities written per batch', (value) => Number.parseInt(value, 10), 10_000)
    .action((path: string, options: { all?: boolean; batchSize: number }) =>
      withContext(ImportCliModule, async (app) => {
        const result = await app.get(GharchiveImportService).import(path, {
          all: options.all,
          batchSize: options.batchSize,
          onProgress: (progress) => console.error(describe(progress)),
        });
        console.log(`imported ${path}: ${describe(result)} in ${result.elapsedSeconds.toFixed(1)} s`);
        for (const failed of result.failedFiles) console.error(`could not read ${failed.file} to its end: ${failed.error}`);
        if (result.failedFiles.length) {
          console.error(`${result.failedFiles.length} of ${result.files} files failed; the events read from them were imported. Replace them and re-run: nothing is written twice.`);
          process.exitCode = 1;
        }
      }),
    );
}
