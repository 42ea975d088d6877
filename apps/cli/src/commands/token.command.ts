import { InvalidArgumentError, Option, type Command } from 'commander';
import { userInfo } from 'node:os';
import { AuditService, type AuditStart } from '#libs/audit';
import { ApiTokenService, type ApiToken, type ApiTokenScope } from '#libs/auth';
import { loadConfig } from '#libs/config';
import { withPreparedDataSource } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';

/** Where the token commands write; stdout carries only what scripts capture. */
export interface TokenCommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: TokenCommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function positiveDays(value: string): number {
  const days = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(days) || days < 1 || days > 3650) {
    throw new InvalidArgumentError('a whole number of days from 1 to 3650');
  }
  return days;
}

/** Runs `work` with an ApiTokenService and the audit log on DATABASE_URL (created and migrated if needed). */
async function withTokens<T>(work: (tokens: ApiTokenService, audit: AuditService) => Promise<T>): Promise<T> {
  const config = loadConfig();
  return withPreparedDataSource(config.DATABASE_URL, secretBoxFromConfig(config), (dataSource) => work(new ApiTokenService(dataSource), new AuditService(dataSource)));
}

/**
 * The audit start of a token command: the actor is `cli:<operating-system user>` (whoever can
 * reach DATABASE_URL runs it; there is no Cambrian credential to name), role `operator`.
 */
function cliAudit(operation: string, args: Record<string, unknown>, targetId: string | null): AuditStart {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): the actor stays cli:unknown
  }
  return { actor: `cli:${user}`, actorRole: 'operator', requestId: null, operation, target: { type: 'api-token', id: targetId }, arguments: args, before: null };
}

function describeToken(token: ApiToken): string {
  const state = token.revokedAt
    ? `revoked ${token.revokedAt.toISOString()}`
    : token.expiresAt && token.expiresAt.getTime() <= Date.now()
      ? `expired ${token.expiresAt.toISOString()}`
      : token.expiresAt
        ? `expires ${token.expiresAt.toISOString()}`
        : 'never expires';
  const used = token.lastUsedAt ? `last used ${token.lastUsedAt.toISOString()}` : 'never used';
  return `${token.id}  ${token.role}  ${JSON.stringify(token.name)}  created ${token.createdAt.toISOString()}  ${state}  ${used}`;
}

/**
 * `cambrian token create --role admin [--name <name>] [--expires-in-days N]`: prints the new
 * token's secret on stdout, once, and nothing else there (details go to stderr), so
 * `TOKEN=$(cambrian token create --role admin)` works. Only its SHA-256 is stored.
 *
 * `cambrian token revoke <id>`: refuses the token from now on.
 * `cambrian token list`: ids, names, roles, expiry and last use (never secrets).
 */
export function registerTokenCommand(program: Command, output: TokenCommandOutput = processOutput): void {
  const token = program.command('token').description('manage API tokens (bearer tokens for /graphql)');

  token
    .command('create')
    .description('create an API token and print its secret once on stdout (only its SHA-256 is stored)')
    .addOption(new Option('--role <role>', 'role of the token').choices(['admin']).makeOptionMandatory())
    .option('--name <name>', 'a label saying who or what uses the token', 'cli')
    .option('--expires-in-days <days>', 'refuse the token after this many days (default: never expires)', positiveDays)
    .option('--scopes <scopes>', 'comma-separated: read (queries), write (mutations)', 'read,write')
    .action(async (options: { role: 'admin'; name: string; expiresInDays?: number; scopes: string }) => {
      const expiresAt = options.expiresInDays ? new Date(Date.now() + options.expiresInDays * 24 * 3_600_000) : null;
      const scopes = options.scopes.split(',').map((scope) => scope.trim()).filter(Boolean) as ApiTokenScope[];
      const input = { name: options.name, role: options.role, expiresAt, scopes };
      const { token: created, secret } = await withTokens((tokens, audit) =>
        // `after` is the token without its secret; the new token's id becomes the target id
        audit.record(cliAudit('token create', input, null), () => tokens.create(input), (result) => result.token),
      );
      output.stdout(`${secret}\n`);
      output.stderr(
        `created ${created.role} token ${created.id} (${JSON.stringify(created.name)}, scopes ${created.scopes.join(',')}, ` +
          `${created.expiresAt ? `expires ${created.expiresAt.toISOString()}` : 'never expires'}); ` +
          'the secret above is shown only once\n',
      );
    });

  token
    .command('revoke')
    .description('revoke an API token by id (see `cambrian token list`)')
    .argument('<id>', 'token id (UUID)')
    .action(async (id: string) => {
      const revoked = await withTokens((tokens, audit) =>
        audit.record(cliAudit('token revoke', { id }, id), () => tokens.revoke(id), (wasActive) => ({ revoked: wasActive })),
      );
      output.stdout(revoked ? `revoked ${id}\n` : `${id} was already revoked\n`);
    });

  token
    .command('list')
    .description('list API tokens (never their secrets)')
    .action(async () => {
      const tokens = await withTokens((service) => service.list());
      output.stdout(tokens.length ? `${tokens.map(describeToken).join('\n')}\n` : '');
      if (!tokens.length) output.stderr('no API tokens\n');
    });
}
