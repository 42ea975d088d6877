import type { Command } from 'commander';
import { NestFactory } from '@nestjs/core';
import { Module, type INestApplicationContext, type LogLevel } from '@nestjs/common';
import { ConfigModule, loadConfig } from '#libs/config';
import { DatabaseModule, prepareDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { EcosystemModule, EcosystemService, trackedSourceFromOptions } from '#libs/github';

/** What the ecosystem commands need: configuration, the database, ecosystems. */
@Module({ imports: [ConfigModule, DatabaseModule, EcosystemModule] })
class EcosystemCliModule {}

/** Nest logs of CLI commands: warnings and errors only, none when LOG_LEVEL=silent. */
export function cliLogLevels(): LogLevel[] | false {
  return loadConfig().LOG_LEVEL === 'silent' ? false : ['warn', 'error'];
}

/**
 * Runs `work` in a Nest application context built from `module` (the database is created and
 * migrated first, under the migration lock) and closes it afterwards.
 */
export async function withContext<T>(module: object, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL, secretBoxFromConfig(config));
  const app = await NestFactory.createApplicationContext(module, { logger: cliLogLevels() });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

interface SourceOptions {
  org?: string;
  user?: string;
  repo?: string;
}

function sourceCommand(parent: Command, name: string, description: string) {
  return parent
    .command(`${name} <slug>`)
    .description(description)
    .option('--org <login>', 'a GitHub organisation (every repository it owns)')
    .option('--user <login>', 'a GitHub user (every repository they own)')
    .option('--repo <owner/name>', 'one repository');
}

/**
 * `cambrian ecosystem create|track|untrack|pause|resume|show`: configure what an ecosystem
 * tracks. Thin: validation and rules live in EcosystemService.
 */
export function registerEcosystemCommand(program: Command): void {
  const ecosystem = program.command('ecosystem').description('create ecosystems and choose what they track');

  ecosystem
    .command('create <slug>')
    .description('create an ecosystem (no-op when it exists)')
    .requiredOption('--name <name>', 'display name')
    .action((slug: string, options: { name: string }) =>
      withContext(EcosystemCliModule, async (app) => {
        const { ecosystem: created, created: isNew } = await app.get(EcosystemService).ensure(slug, options.name);
        console.log(isNew ? `created ecosystem ${created.slug} (${created.name})` : `ecosystem ${created.slug} exists (${created.name})`);
      }),
    );

  sourceCommand(ecosystem, 'track', 'track an organisation, a user or a repository').action((slug: string, options: SourceOptions) =>
    withContext(EcosystemCliModule, async (app) => {
      const { source, created } = await app.get(EcosystemService).track(slug, trackedSourceFromOptions(options));
      console.log(`${created ? 'tracking' : 'already tracking'} ${source.kind} ${source.name}${source.paused ? ' (paused)' : ''}`);
    }),
  );

  sourceCommand(ecosystem, 'untrack', 'stop tracking a source (its history stays)').action((slug: string, options: SourceOptions) =>
    withContext(EcosystemCliModule, async (app) => {
      const spec = trackedSourceFromOptions(options);
      await app.get(EcosystemService).untrack(slug, spec);
      console.log(`no longer tracking ${spec.kind} ${spec.name}`);
    }),
  );

  for (const [name, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    sourceCommand(ecosystem, name, `${name} syncing a source`).action((slug: string, options: SourceOptions) =>
      withContext(EcosystemCliModule, async (app) => {
        const source = await app.get(EcosystemService).setPaused(slug, trackedSourceFromOptions(options), paused);
        console.log(`${source.kind} ${source.name} ${paused ? 'paused' : 'resumed'}`);
      }),
    );
  }

  ecosystem
    .command('show <slug>')
    .description('list tracked sources and discovered repositories')
    .action((slug: string) =>
      withContext(EcosystemCliModule, async (app) => {
        const ecosystems = app.get(EcosystemService);
        const found = await ecosystems.getBySlug(slug);
        console.log(`${found.slug} — ${found.name}`);
        for (const source of await ecosystems.listSources(slug)) {
          console.log(`  ${source.kind.padEnd(12)} ${source.name}${source.paused ? ' (paused)' : ''}`);
        }
        const repositories = await ecosystems.listRepositories(slug);
        console.log(`repositories: ${repositories.length}`);
        for (const repository of repositories) {
          const flags = [repository.isFork && 'fork', repository.isArchived && 'archived'].filter(Boolean).join(', ');
          console.log(`  ${repository.fullName}${flags ? ` (${flags})` : ''}`);
        }
      }),
    );
}
