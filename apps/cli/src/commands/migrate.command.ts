import type { Command } from 'commander';
import { loadConfig } from '#libs/config';
import { prepareDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';

/** `cambrian migrate`: creates the database if missing and applies pending migrations once. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('create the database if missing and apply pending migrations (under an advisory lock)')
    .action(async () => {
      const config = loadConfig();
      const { created, applied } = await prepareDatabase(config.DATABASE_URL, secretBoxFromConfig(config));
      if (created) console.log(`created database ${new URL(config.DATABASE_URL).pathname.slice(1)}`);
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations');
    });
}
