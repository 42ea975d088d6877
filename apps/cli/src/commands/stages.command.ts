import type { Command } from 'commander';
import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { StageRulesService, StageService, StagesModule } from '#libs/members';
import { withContext } from './ecosystem.command.js';

/** What `cambrian stages` needs: the database and the stage services (evaluation runs in this process). */
@Module({ imports: [ConfigModule, DatabaseModule, StagesModule] })
class StagesCliModule {}

/**
 * `cambrian stages recompute [--ecosystem <slug>]`: recomputes the stages of every member with
 * activities in the ecosystem (or in every ecosystem) from scratch, with the rules in force —
 * after a rule change, or to check that the stored transitions are what the rules give (the
 * result is the same as the incremental path's). Progress goes to stderr, the summary to stdout.
 * Exits 1 for an unknown ecosystem.
 */
export function registerStagesCommand(
  program: Command,
  io: { stdout: (text: string) => void; stderr: (text: string) => void } = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
): void {
  const command = program.command('stages').description('members’ stages on the path from user to maintainer');
  command
    .command('recompute')
    .description('recompute stages from all activities (every ecosystem unless --ecosystem)')
    .option('--ecosystem <slug>', 'only this ecosystem')
    .action((options: { ecosystem?: string }) =>
      withContext(StagesCliModule, async (app) => {
        const ecosystemId = options.ecosystem ? await app.get(StageRulesService).ecosystemId(options.ecosystem) : null;
        const started = performance.now();
        const result = await app.get(StageService).recomputeEcosystem(ecosystemId, {
          onProgress: (done, total) => io.stderr(`members ${done}/${total}\n`),
        });
        const seconds = (performance.now() - started) / 1000;
        io.stdout(
          `recomputed stages of ${result.members} members${options.ecosystem ? ` in ${options.ecosystem}` : ''}: ` +
            `${result.transitionsInserted} transitions stored, ${result.transitionsDeleted} removed, in ${seconds.toFixed(1)} s\n`,
        );
      }),
    );
}
