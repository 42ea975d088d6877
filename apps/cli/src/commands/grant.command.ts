import type { Command } from 'commander';
import { AccessGrantService, type AccessGrantView } from '#libs/access';
import { loadConfig } from '#libs/config';
import { withPreparedDataSource } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { EcosystemQueryService, MemberQueryService, RepositoryQueryService } from '#libs/members';

/** Where the grant commands write. */
export interface GrantCommandOutput {
  stdout: (text: string) => void;
}

const processOutput: GrantCommandOutput = { stdout: (text) => process.stdout.write(text) };

/** Runs `work` with the grant and member services on DATABASE_URL (created and migrated if needed). */
async function withGrants<T>(work: (grants: AccessGrantService, members: MemberQueryService) => Promise<T>): Promise<T> {
  const config = loadConfig();
  return withPreparedDataSource(config.DATABASE_URL, secretBoxFromConfig(config), (dataSource) =>
    work(new AccessGrantService(dataSource), new MemberQueryService(dataSource, new RepositoryQueryService(dataSource), new EcosystemQueryService(dataSource))),
  );
}

/** One line per grant: id, member, scope, when granted and (if so) revoked. */
export function describeGrant(grant: AccessGrantView): string {
  const scope = grant.ecosystemSlug != null ? `ecosystem ${grant.ecosystemSlug}` : `hackathon ${grant.hackathonSlug ?? grant.hackathonId}`;
  const state = grant.revokedAt ? `revoked ${grant.revokedAt.toISOString()} by ${grant.revokedBy ?? 'unknown'}` : 'in force';
  return `${grant.id}  member ${grant.memberId}  organizer of ${scope}  granted ${grant.grantedAt.toISOString()}  ${state}`;
}

/**
 * Organiser grants from the command line (the same rules as the admin GraphQL mutations; the actor
 * recorded is `cli`):
 * - `cambrian grant organizer <member> --ecosystem <slug> | --hackathon <slug-or-id>`;
 * - `cambrian grant revoke <grant id>`;
 * - `cambrian grant list [--member <member>] [--all]`.
 * `<member>` is a member id or a GitHub login.
 */
export function registerGrantCommand(program: Command, output: GrantCommandOutput = processOutput): void {
  const grant = program.command('grant').description('organiser grants (roles: ORGANIZER of an ecosystem or a hackathon)');

  grant
    .command('organizer <member>')
    .description('make a member an organiser of an ecosystem (every hackathon in it) or of one hackathon')
    .option('--ecosystem <slug>', 'the ecosystem')
    .option('--hackathon <slug-or-id>', 'the hackathon')
    .action(async (member: string, options: { ecosystem?: string; hackathon?: string }) => {
      const created = await withGrants(async (grants, members) =>
        grants.grantOrganizer(await members.resolveRef(member), { ecosystem: options.ecosystem, hackathon: options.hackathon }, 'cli'),
      );
      output.stdout(`${describeGrant(created)}\n`);
    });

  grant
    .command('revoke <id>')
    .description('revoke a grant (the row is kept with who and when)')
    .action(async (id: string) => {
      output.stdout(`${describeGrant(await withGrants((grants) => grants.revoke(id, 'cli')))}\n`);
    });

  grant
    .command('list')
    .description('grants in force, newest first')
    .option('--member <member>', "only this member's (id or GitHub login)")
    .option('--all', 'include revoked grants')
    .action(async (options: { member?: string; all?: boolean }) => {
      const listed = await withGrants(async (grants, members) =>
        grants.list({ memberId: options.member ? await members.resolveRef(options.member) : null, includeRevoked: options.all ?? false }),
      );
      for (const row of listed) output.stdout(`${describeGrant(row)}\n`);
    });
}
