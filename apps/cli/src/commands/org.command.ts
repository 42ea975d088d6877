import { InvalidArgumentError, type Command } from 'commander';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { loadConfig } from '#libs/config';
import { withPreparedDataSource } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import {
  AffiliationRecomputeService,
  AffiliationService,
  OrganizationException,
  OrganizationExceptionCode,
  OrganizationService,
  type AffiliationRecomputeResult,
  type OrganizationView,
} from '#libs/members';

/** Where the org commands write. */
export interface OrgCommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: OrgCommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The services the org commands use, on one connection. */
interface OrgServices {
  dataSource: DataSource;
  organizations: OrganizationService;
  affiliations: AffiliationService;
  recompute: AffiliationRecomputeService;
}

/** Runs `work` with the organisation services on DATABASE_URL (created and migrated if needed). */
async function withOrganizations<T>(work: (services: OrgServices) => Promise<T>): Promise<T> {
  const config = loadConfig();
  return withPreparedDataSource(config.DATABASE_URL, secretBoxFromConfig(config), (dataSource) =>
    work({
      dataSource,
      organizations: new OrganizationService(dataSource),
      affiliations: new AffiliationService(dataSource),
      recompute: new AffiliationRecomputeService(dataSource),
    }),
  );
}

/**
 * An ISO 8601 calendar date (`2024-06-01`, UTC midnight) or an instant with its offset
 * (`2024-06-01T09:00:00Z`, `…+08:00`), checked by zod: an impossible day (`2024-02-30`), trailing
 * text, or a time without an offset (which `new Date` reads in the machine's time zone) is refused
 * rather than silently moved.
 */
const instantSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** `--from` / `--until`: see {@link instantSchema}. @throws InvalidArgumentError naming the accepted forms. */
function instant(value: string): Date {
  if (!instantSchema.safeParse(value).success) {
    throw new InvalidArgumentError(
      `"${value}" is not an ISO 8601 date or instant with an offset, e.g. 2024-06-01 or 2024-06-01T09:00:00Z`,
    );
  }
  return new Date(value);
}

/**
 * Repeatable `--domain`. @throws InvalidArgumentError for an empty value (`--domain ""` would
 * otherwise clear every domain; `--no-domains` says that explicitly).
 */
function collect(value: string, previous: string[] = []): string[] {
  const domains = value.split(',').map((domain) => domain.trim()).filter(Boolean);
  if (domains.length === 0) throw new InvalidArgumentError('give a domain (use --no-domains to remove every domain)');
  return [...previous, ...domains];
}

/** An organisation by id or by name (case-insensitive). @throws OrganizationException NOT_FOUND. */
async function findOrganization(services: OrgServices, ref: string): Promise<OrganizationView> {
  if (z.uuid().safeParse(ref).success) return services.organizations.get(ref);
  const found = await services.organizations.findByName(ref);
  if (!found) throw new OrganizationException(`no organisation named "${ref}"`, OrganizationExceptionCode.NOT_FOUND);
  return found;
}

/** A member by id or by current GitHub login (case-insensitive). @throws OrganizationException NOT_FOUND. */
async function findMember(dataSource: DataSource, ref: string): Promise<{ id: string; label: string }> {
  const byId = z.uuid().safeParse(ref).success;
  // a NUL cannot be in a login, and Postgres would refuse the parameter (22021) rather than find nothing
  const rows: Array<{ id: string; login: string | null; display_name: string | null }> = ref.includes('\u0000') ? [] : await dataSource.query(
    byId
      ? `SELECT id, login, display_name FROM member WHERE id = $1`
      : `SELECT id, login, display_name FROM member WHERE lower(login) = lower($1) ORDER BY updated_at DESC, id LIMIT 1`,
    [ref],
  );
  if (!rows[0]) throw new OrganizationException(`no member "${ref}" (give a member id or a GitHub login)`, OrganizationExceptionCode.NOT_FOUND);
  return { id: rows[0].id, label: rows[0].login ?? rows[0].display_name ?? rows[0].id };
}

function describeOrganization(organization: OrganizationView): string {
  return `${organization.id}  ${JSON.stringify(organization.name)}  ${organization.isCustomer ? 'customer' : 'non-paying'}  ${
    organization.domains.join(',') || '(no domains)'
  }`;
}

function describeRecompute(result: AffiliationRecomputeResult): string {
  return `automatic affiliations: ${result.total} (${result.inserted} new, ${result.updated} updated, ${result.deleted} removed)`;
}

/**
 * `cambrian org create|update|list|affiliate|recompute`: organisations and affiliations from the
 * command line. Thin: validation and rules live in OrganizationService and AffiliationService.
 * create and update recompute automatic affiliations at once (no worker needed).
 */
export function registerOrgCommand(program: Command, output: OrgCommandOutput = processOutput): void {
  const org = program.command('org').description('organisations, and members\' affiliations with them');

  org
    .command('create <name>')
    .description('create an organisation, then recompute automatic affiliations')
    .option('--domain <domain>', 'an e-mail domain it owns (repeatable, or comma-separated); never public webmail', collect)
    .option('--customer', 'a paying customer', false)
    .action((name: string, options: { domain?: string[]; customer: boolean }) =>
      withOrganizations(async (services) => {
        const created = await services.organizations.create({ name, domains: options.domain ?? [], isCustomer: options.customer });
        output.stdout(`created ${describeOrganization(created)}\n`);
        output.stderr(`${describeRecompute(await services.recompute.recompute())}\n`);
      }),
    );

  org
    .command('update <organization>')
    .description('change an organisation (by id or name), then recompute automatic affiliations')
    .option('--name <name>', 'new name')
    .option('--domain <domain>', 'the new list of domains (repeatable, or comma-separated; replaces the old list)', collect)
    .option('--no-domains', 'remove every domain')
    .option('--customer', 'mark as a paying customer')
    .option('--non-paying', 'mark as not a customer')
    .action(
      (ref: string, options: { name?: string; domain?: string[]; domains: boolean; customer?: boolean; nonPaying?: boolean }) =>
        withOrganizations(async (services) => {
          if (options.customer && options.nonPaying) throw new InvalidArgumentError('give at most one of --customer and --non-paying');
          if (options.domain && options.domains === false) throw new InvalidArgumentError('give at most one of --domain and --no-domains');
          const found = await findOrganization(services, ref);
          const updated = await services.organizations.update(found.id, {
            name: options.name ?? null,
            domains: options.domains === false ? [] : (options.domain ?? null),
            isCustomer: options.customer ? true : options.nonPaying ? false : null,
          });
          output.stdout(`updated ${describeOrganization(updated)}\n`);
          output.stderr(`${describeRecompute(await services.recompute.recompute())}\n`);
        }),
    );

  org
    .command('list')
    .description('list organisations by name')
    .option('--query <text>', 'name or domain contains this text (case-insensitive)')
    .option('--customers', 'customers only')
    .option('--non-paying', 'non-paying organisations only')
    .action((options: { query?: string; customers?: boolean; nonPaying?: boolean }) =>
      withOrganizations(async (services) => {
        const isCustomer = options.customers ? true : options.nonPaying ? false : null;
        let after: string | null = null;
        let listed = 0;
        do {
          const page = await services.organizations.list({ query: options.query, isCustomer, first: 100, after });
          for (const edge of page.edges) output.stdout(`${describeOrganization(edge.node)}\n`);
          listed += page.edges.length;
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        if (!listed) output.stderr('no organisations\n');
      }),
    );

  org
    .command('affiliate <member> <organization>')
    .description('record that a member (id or login) was with an organisation (id or name): a manual affiliation')
    .option('--from <date>', 'start, inclusive (ISO 8601; default: open start)', instant)
    .option('--until <date>', 'end, exclusive (ISO 8601; default: open end)', instant)
    .option('--note <text>', 'why')
    .action((memberRef: string, organizationRef: string, options: { from?: Date; until?: Date; note?: string }) =>
      withOrganizations(async (services) => {
        const member = await findMember(services.dataSource, memberRef);
        const organization = await findOrganization(services, organizationRef);
        const affiliation = await services.affiliations.setManual({
          memberId: member.id,
          organizationId: organization.id,
          startsAt: options.from ?? null,
          endsAt: options.until ?? null,
          note: options.note ?? null,
          by: 'cli',
        });
        output.stdout(
          `${affiliation.id}  ${member.label} with ${JSON.stringify(organization.name)} ` +
            `[${affiliation.startsAt?.toISOString() ?? 'open'}, ${affiliation.endsAt?.toISOString() ?? 'open'})  manual\n`,
        );
      }),
    );

  org
    .command('recompute')
    .description('recompute automatic affiliations (profile company, e-mail domains) of every member now')
    .action(() =>
      withOrganizations(async (services) => {
        output.stdout(`${describeRecompute(await services.recompute.recompute())}\n`);
      }),
    );
}
