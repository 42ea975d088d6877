import type { FastifyInstance } from 'fastify';
import { notFound } from '../http/github-errors.js';
import { sendError, sendJson } from '../http/respond.js';
import type { Account } from '../seed/accounts.js';
import { deriveProfileCompanies } from '../seed/profile-companies.js';
import type { SimRouteContext } from './route-context.js';

const GET_A_USER_DOCS = 'https://docs.github.com/rest/users/users#get-a-user';

/** Profile changes made through `POST /_sim/users/:login/profile`, over the derived profiles. */
export class SimProfiles {
  private derived: Map<number, string> | null = null;
  private readonly companies = new Map<number, string | null>();
  private readonly deleted = new Set<number>();
  private readonly changedAt = new Map<number, string>();

  constructor(private readonly ctx: SimRouteContext) {}

  /** The account's `company` (SIMULATED, see profile-companies.ts), null when none. */
  company(account: Account): string | null {
    if (this.companies.has(account.id)) return this.companies.get(account.id) ?? null;
    this.derived ??= deriveProfileCompanies(this.ctx.snapshot);
    return this.derived.get(account.id) ?? null;
  }

  /** True once the account was deleted through the admin route (GET answers 404 from then on). */
  isDeleted(account: Account): boolean {
    return this.deleted.has(account.id);
  }

  /** `updated_at` of the profile: a fixed instant, or when the admin route last changed it. */
  updatedAt(account: Account): string {
    return this.changedAt.get(account.id) ?? '2025-01-01T00:00:00Z';
  }

  /** Sets the company (null clears it) and/or deletes the account. */
  change(account: Account, change: { company?: string | null; deleted?: boolean }, at: Date): void {
    if (change.company !== undefined) this.companies.set(account.id, change.company);
    if (change.deleted === true) this.deleted.add(account.id);
    if (change.deleted === false) this.deleted.delete(account.id);
    this.changedAt.set(account.id, at.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  }
}

/**
 * GET /users/:username — GitHub's "Get a user" (public profile): the account's simple-user
 * fields plus profile fields, with a body ETag so `If-None-Match` answers 304 (refunded like every
 * 304). Every profile field is GENERATED (`name`, `bio`, `email` null; fixed dates) except
 * `company`, SIMULATED from the commit e-mail domains (profile-companies.ts). Unknown and deleted
 * logins answer 404.
 *
 * POST /_sim/users/:login/profile `{ company?: string | null, deleted?: boolean }` (admin, not
 * GitHub) changes a profile: a new company, or a deleted account.
 */
export function registerUserRoutes(app: FastifyInstance, ctx: SimRouteContext, profiles: SimProfiles, now: () => number): void {
  app.get<{ Params: { username: string } }>('/users/:username', async (request, reply) => {
    const account = ctx.snapshot.accounts.find(request.params.username);
    if (!account || profiles.isDeleted(account)) return sendError(reply, 404, notFound(GET_A_USER_DOCS));
    return sendJson(request, reply, {
      ...ctx.renderer.user(account),
      name: null,
      company: profiles.company(account),
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: '2020-01-01T00:00:00Z',
      updated_at: profiles.updatedAt(account),
    });
  });

  app.post<{ Params: { login: string }; Body: { company?: unknown; deleted?: unknown } | null }>('/_sim/users/:login/profile', async (request, reply) => {
    const account = ctx.snapshot.accounts.find(request.params.login);
    if (!account) return reply.code(404).send({ message: `no account ${request.params.login}` });
    const body = request.body ?? {};
    const company = body.company;
    if (company !== undefined && company !== null && typeof company !== 'string') return reply.code(422).send({ message: 'company: a string or null' });
    if (body.deleted !== undefined && typeof body.deleted !== 'boolean') return reply.code(422).send({ message: 'deleted: a boolean' });
    profiles.change(account, { company: company as string | null | undefined, deleted: body.deleted as boolean | undefined }, new Date(now()));
    return reply.code(200).send({ login: account.login, company: profiles.company(account), deleted: profiles.isDeleted(account) });
  });
}
