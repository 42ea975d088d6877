import type { Command } from 'commander';
import pg from 'pg';
import { loadConfig } from '#libs/config';
import { withPreparedDataSource } from '#libs/db';
import { EcosystemEntity, EcosystemService, GithubCredentialEntity, GithubCredentialService, RepositoryEntity, TrackedSourceEntity } from '#libs/github';
import { rotateErasureKey, secretBoxFromConfig } from '#libs/secrets';

/** Where the secrets commands write. */
export interface SecretsCommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: SecretsCommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * `cambrian secrets rotate`: re-encrypts every stored GitHub credential, and the erasure hash key
 * (table erasure_key), that is not under the current CAMBRIAN_SECRETS_KEY, reading old rows with the keys of CAMBRIAN_SECRETS_OLD_KEYS. Prints
 * counts and the current key id (never a value or a key); fails (exit 1) when a row could not be
 * opened (its id and why on stderr), the others re-encrypted all the same. Safe to run again, and while
 * api and worker run (each row is replaced only if unchanged meanwhile).
 */
export function registerSecretsCommand(program: Command, output: SecretsCommandOutput = processOutput): void {
  const secrets = program.command('secrets').description('stored secrets (GitHub credentials per ecosystem, encrypted with CAMBRIAN_SECRETS_KEY)');

  secrets
    .command('rotate')
    .description('re-encrypt stored credentials and the erasure hash key under the current CAMBRIAN_SECRETS_KEY (old keys in CAMBRIAN_SECRETS_OLD_KEYS)')
    .action(async () => {
      const config = loadConfig();
      const box = secretBoxFromConfig(config);
      const entities = [GithubCredentialEntity, EcosystemEntity, TrackedSourceEntity, RepositoryEntity];
      await withPreparedDataSource(
        config.DATABASE_URL,
        box,
        async (dataSource) => {
          const service = new GithubCredentialService(dataSource, box, new EcosystemService(dataSource));
          const result = await service.rotate();
          const client = new pg.Client({ connectionString: config.DATABASE_URL });
          await client.connect();
          const erasure = await rotateErasureKey(client, box).finally(() => client.end());
          output.stdout(
            `key ${result.keyId}: ${result.reencrypted} credentials re-encrypted, ${result.alreadyCurrent} already under it` +
              `${result.failures.length ? `, ${result.failures.length} not readable` : ''}; ` +
              `erasure hash key ${erasure === 'reencrypted' ? 're-encrypted' : erasure === 'absent' ? 'not stored' : 'already under it'}\n`,
          );
          for (const failure of result.failures) output.stderr(`${failure.id}: ${failure.reason}\n`);
          if (result.failures.length) throw new Error(`${result.failures.length} stored credentials could not be re-encrypted (listed above)`);
        },
        entities,
      );
    });
}
