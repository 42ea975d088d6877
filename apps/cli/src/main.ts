import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '#libs/config';
import { registerMigrateCommand } from './commands/migrate.command.js';
import { registerEcosystemCommand } from './commands/ecosystem.command.js';
import { registerSyncCommand } from './commands/sync.command.js';
import { registerTokenCommand } from './commands/token.command.js';
import { registerDemoCommand } from './commands/demo.command.js';
import { registerImportCommand } from './commands/import.command.js';
import { registerStagesCommand } from './commands/stages.command.js';
import { registerOrgCommand } from './commands/org.command.js';
import { registerGrantCommand } from './commands/grant.command.js';
import { registerSecretsCommand } from './commands/secrets.command.js';

/** `cambrian` — operator commands. Each command lives in commands/<verb>.command.ts. */
const program = new Command('cambrian').description('Cambrian operator commands').showHelpAfterError();

registerMigrateCommand(program);
registerEcosystemCommand(program);
registerSyncCommand(program);
registerTokenCommand(program);
registerDemoCommand(program);
registerImportCommand(program);
registerStagesCommand(program);
registerOrgCommand(program);
registerGrantCommand(program);
registerSecretsCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`cambrian: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
