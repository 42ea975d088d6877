import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../queries/cursor.js';
import { pageSizeSchema, toPage, type Page } from '../queries/page.types.js';
import { OrganizationException, OrganizationExceptionCode } from './organization.exception.js';
import { isValidDomain, normaliseDomain } from './organization-names.js';
import { ORGANIZATION_COLUMNS, toOrganizationView, type OrganizationRow } from './organization-row.js';
import type {
  OrganizationInput,
  OrganizationListArgs,
  OrganizationPatch,
  OrganizationView,
} from './organization.types.js';
import { returningRows } from './returning-rows.js';
import { isPersonalMailDomain } from './webmail.js';

/** Longest organisation name accepted. */
export const MAX_ORGANIZATION_NAME = 200;
/** Most domains one organisation can own. */
export const MAX_ORGANIZATION_DOMAINS = 100;

/** Serialises domain claims so two organisations never own one domain. */
const DOMAIN_CLAIM_LOCK = 0x4f5247; // "ORG"

const invalid = (message: string) => new OrganizationException(message, OrganizationExceptionCode.INVALID);

/**
 * Validates an organisation id.
 * @throws OrganizationException INVALID when `id` is not a UUID.
 */
export function parseOrganizationId(id: string): string {
  if (!z.uuid().safeParse(id).success) throw invalid(`"${id}" is not an organisation id (a UUID)`);
  return id;
}

/**
 * Characters a name may not hold once its whitespace is folded: control characters (Unicode
 * general category Cc; Postgres refuses NUL in text) and the bidirectional embedding, override
 * and isolate controls (U+202A–U+202E, U+2066–U+2069, Unicode TR9), which make a name display
 * as another (`\u202Eelgoog` shows as `google`). Right-to-left scripts need none of them.
 */
const FORBIDDEN_IN_NAME = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/**
 * Validates and normalises an organisation name (trimmed, inner whitespace folded to one space,
 * 1–200 characters, in any script).
 * @throws OrganizationException INVALID (empty, too long, control or bidi-override characters).
 */
export function parseOrganizationName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (!trimmed) throw invalid('an organisation needs a name');
  if (FORBIDDEN_IN_NAME.test(trimmed)) {
    throw invalid('an organisation name cannot contain control characters or bidirectional overrides (U+202A–U+202E, U+2066–U+2069)');
  }
  if (trimmed.length > MAX_ORGANIZATION_NAME) throw invalid(`an organisation name has at most ${MAX_ORGANIZATION_NAME} characters`);
  return trimmed;
}

/**
 * Validates and normalises an organisation's domains: lower-cased, a leading `@` and trailing
 * dot dropped, internationalised names in their ASCII (punycode) form, duplicates removed, sorted.
 * @throws OrganizationException INVALID for a malformed host name (RFC 1123) or a public
 *   webmail, relay or noreply domain (an address there says nothing about an employer).
 */
export function parseOrganizationDomains(domains: readonly string[]): string[] {
  if (domains.length > MAX_ORGANIZATION_DOMAINS) throw invalid(`an organisation owns at most ${MAX_ORGANIZATION_DOMAINS} domains`);
  const normalised = new Set<string>();
  for (const raw of domains) {
    const domain = normaliseDomain(raw);
    if (!isValidDomain(domain)) {
      throw invalid(`"${raw}" is not a domain name (letters, digits and hyphens in dot-separated labels, e.g. example.com)`);
    }
    if (isPersonalMailDomain(domain)) {
      throw invalid(`"${domain}" is a public webmail, relay or noreply domain: its addresses belong to no organisation`);
    }
    normalised.add(domain);
  }
  return [...normalised].sort();
}

/** Postgres text cannot hold NUL (U+0000): a value with one would fail in the database, not as bad input. */
// eslint-disable-next-line no-control-regex -- NUL is the character refused
const NO_NUL = /^[^\u0000]*$/;

const listSchema = z.object({
  query: z
    .string()
    .max(200, 'must be at most 200 characters')
    .regex(NO_NUL, 'must not contain NUL characters')
    .nullish()
    .transform((query) => query?.trim() || null),
  isCustomer: z.boolean().nullish(),
  first: pageSizeSchema,
  after: z.string().nullish(),
});

const cursorValues = z.tuple([z.string().regex(NO_NUL), z.uuid()]);
const CURSOR_KIND = 'organization';

/** Postgres unique violation on the case-insensitive name index. */
function isNameTaken(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = pgError.driverError?.code ?? pgError.code;
  const constraint = pgError.driverError?.constraint ?? pgError.constraint;
  return code === '23505' && constraint === 'organization_name';
}

/**
 * Organisations: creation and changes with validation (name unique case-insensitively, domains
 * well-formed, never webmail, owned by one organisation at most), lookups and a listing.
 * Changes to domains take effect on automatic affiliations when they are next recomputed
 * ({@link AffiliationRecomputeService}).
 */
@Injectable()
export class OrganizationService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates an organisation.
   * @throws OrganizationException INVALID (name, domains), ALREADY_EXISTS (name taken, or a
   *   domain another organisation owns).
   */
  async create(input: OrganizationInput): Promise<OrganizationView> {
    const name = parseOrganizationName(input.name);
    const domains = parseOrganizationDomains(input.domains ?? []);
    return this.write(async (manager) => {
      await this.assertDomainsFree(manager, domains, null);
      const rows: OrganizationRow[] = await manager.query(
        `INSERT INTO organization AS o (name, domains, is_customer) VALUES ($1, $2, $3) RETURNING ${ORGANIZATION_COLUMNS}`,
        [name, domains, input.isCustomer ?? false],
      );
      return toOrganizationView(rows[0]);
    }, name);
  }

  /**
   * Changes an organisation's name, domains (the list is replaced) or customer flag.
   * @throws OrganizationException INVALID, NOT_FOUND, ALREADY_EXISTS (as {@link create}).
   */
  async update(id: string, patch: OrganizationPatch): Promise<OrganizationView> {
    parseOrganizationId(id);
    const name = patch.name == null ? null : parseOrganizationName(patch.name);
    const domains = patch.domains == null ? null : parseOrganizationDomains(patch.domains);
    return this.write(async (manager) => {
      if (domains) await this.assertDomainsFree(manager, domains, id);
      const rows = returningRows<OrganizationRow>(
        await manager.query(
        `UPDATE organization AS o
            SET name = coalesce($2, o.name), domains = coalesce($3, o.domains),
                is_customer = coalesce($4, o.is_customer), updated_at = now()
          WHERE o.id = $1 RETURNING ${ORGANIZATION_COLUMNS}`,
        [id, name, domains, patch.isCustomer ?? null],
        ),
      );
      if (rows.length === 0) throw new OrganizationException(`no organisation with id ${id}`, OrganizationExceptionCode.NOT_FOUND);
      return toOrganizationView(rows[0]);
    }, name);
  }

  /** @throws OrganizationException INVALID (not a UUID), NOT_FOUND. */
  async get(id: string): Promise<OrganizationView> {
    const [found] = await this.byIds([parseOrganizationId(id)]);
    if (!found) throw new OrganizationException(`no organisation with id ${id}`, OrganizationExceptionCode.NOT_FOUND);
    return found;
  }

  /** The organisation with this name (case-insensitive), or null. */
  async findByName(name: string): Promise<OrganizationView | null> {
    if (!NO_NUL.test(name)) return null;
    const rows: OrganizationRow[] = await this.dataSource.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM organization o WHERE lower(o.name) = lower($1)`,
      [name.trim().replace(/\s+/g, ' ')],
    );
    return rows[0] ? toOrganizationView(rows[0]) : null;
  }

  /** Organisations by id, in the order asked (null for unknown ids); for DataLoaders. Ids must be UUIDs. */
  async byIds(ids: readonly string[]): Promise<Array<OrganizationView | null>> {
    const rows: OrganizationRow[] = await this.dataSource.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM organization o WHERE o.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, toOrganizationView(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Organisations by name (case-insensitive), optionally filtered by a substring of the name or
   * of a domain and by the customer flag; a cursor connection.
   * @throws OrganizationException INVALID (first outside 1–100, a foreign cursor, query over 200 characters).
   */
  async list(args: OrganizationListArgs): Promise<Page<OrganizationView>> {
    const parsed = listSchema.safeParse(args);
    if (!parsed.success) {
      throw invalid(`Invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const { query, isCustomer, first, after } = parsed.data;
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (query) {
      params.push(`%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      conditions.push(
        `(lower(o.name) LIKE $${params.length} OR EXISTS (SELECT 1 FROM unnest(o.domains) d WHERE d LIKE $${params.length}))`,
      );
    }
    if (isCustomer != null) {
      params.push(isCustomer);
      conditions.push(`o.is_customer = $${params.length}`);
    }
    const filter = conditions.length ? conditions.join(' AND ') : 'true';
    const pageConditions = [filter];
    const pageParams = [...params];
    if (after) {
      let values: [string, string];
      try {
        values = decodeCursor(CURSOR_KIND, after, cursorValues);
      } catch {
        throw invalid(`Invalid cursor "${after}": use a cursor from this connection`);
      }
      pageParams.push(values[0], values[1]);
      pageConditions.push(`(lower(o.name), o.id) > ($${pageParams.length - 1}, $${pageParams.length}::uuid)`);
    }
    pageParams.push(first + 1);
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT ${ORGANIZATION_COLUMNS} FROM organization o WHERE ${pageConditions.join(' AND ')}
          ORDER BY lower(o.name), o.id LIMIT $${pageParams.length}`,
        pageParams,
      ) as Promise<OrganizationRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS n FROM organization o WHERE ${filter}`, params) as Promise<
        Array<{ n: number }>
      >,
    ]);
    return toPage(rows, first, after, count[0].n, (row) => ({
      cursor: encodeCursor(CURSOR_KIND, [row.name.toLowerCase(), row.id]),
      node: toOrganizationView(row),
    }));
  }

  /** Runs a write in a transaction holding the domain-claim lock; maps a taken name to ALREADY_EXISTS. */
  private async write<T>(work: (manager: EntityManager) => Promise<T>, name: string | null): Promise<T> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock($1)`, [DOMAIN_CLAIM_LOCK]);
        return work(manager);
      });
    } catch (error) {
      if (isNameTaken(error)) {
        throw new OrganizationException(
          `an organisation named "${name}" exists already (names compare case-insensitively)`,
          OrganizationExceptionCode.ALREADY_EXISTS,
        );
      }
      throw error;
    }
  }

  private async assertDomainsFree(manager: EntityManager, domains: string[], exceptId: string | null): Promise<void> {
    if (domains.length === 0) return;
    const owners: Array<{ name: string; domain: string }> = await manager.query(
      `SELECT o.name, d AS domain FROM organization o, unnest(o.domains) d
        WHERE d = ANY($1::text[]) AND ($2::uuid IS NULL OR o.id <> $2::uuid) ORDER BY d LIMIT 1`,
      [domains, exceptId],
    );
    if (owners.length > 0) {
      throw new OrganizationException(
        `the domain "${owners[0].domain}" belongs to the organisation "${owners[0].name}" already`,
        OrganizationExceptionCode.ALREADY_EXISTS,
      );
    }
  }
}
