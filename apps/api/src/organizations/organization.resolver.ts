import { InjectQueue } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Queue } from 'bullmq';
import { ContributionCreditService, OrganizationService, parseCreditPeriod, parseOrganizationId } from '#libs/members';
import { JobName, QueueName, type RecomputeAffiliationsJobData } from '#libs/queue';
import { AdminOnly } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import {
  CreateOrganizationArgs,
  CreditPeriodArgs,
  OrganizationArgs,
  OrganizationMembersArgs,
  OrganizationsArgs,
  UpdateOrganizationArgs,
} from './organization.args.js';
import { OrganizationLoadersFactory } from './organization-loaders.js';
import { OrganizationConnectionObject, OrganizationMembersObject, OrganizationObject } from './organization.type.js';
import { Access } from '../graphql/access/access.decorator.js';

const ADMIN_ERRORS = 'Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role.';

@Resolver(() => OrganizationObject)
export class OrganizationResolver {
  private readonly logger = new Logger(OrganizationResolver.name);

  constructor(
    private readonly organizationService: OrganizationService,
    private readonly credit: ContributionCreditService,
    private readonly loaders: OrganizationLoadersFactory,
    @InjectQueue(QueueName.Affiliations) private readonly affiliationsQueue: Queue,
  ) {}

  @Access.public()
  @Query(() => OrganizationConnectionObject, {
    description:
      'Organisations by name (case-insensitive), as a cursor connection. Errors: BAD_USER_INPUT (first outside 1–100, ' +
      'a foreign cursor, query over 200 characters).',
  })
  organizations(@Args() args: OrganizationsArgs) {
    return this.organizationService.list(args);
  }

  @Access.public()
  @Query(() => OrganizationObject, {
    nullable: true,
    description: 'One organisation by id; null when there is none. Errors: BAD_USER_INPUT for a malformed id.',
  })
  organization(@Args() { id }: OrganizationArgs, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).organizationById.load(parseOrganizationId(id));
  }

  @ResolveField(() => Int, {
    description:
      'Contributions (activities other than stars and forks, not undone) credited to the organisation within the period: ' +
      'each made by a member while with it ' +
      '(manual affiliations first, then e-mail domains, then the profile). Errors: BAD_USER_INPUT unless since < until.',
  })
  contributionCount(@Parent() organization: OrganizationObject, @Args() period: CreditPeriodArgs, @Context() ctx: GqlContext) {
    const { since, until } = parseCreditPeriod(period);
    return this.loaders.for(ctx).contributionCount(since ?? null, until ?? null).load(organization.id);
  }

  @ResolveField(() => OrganizationMembersObject, {
    description:
      'Members with an affiliation to the organisation, with the contributions credited to it within the period, most ' +
      'first. Errors: BAD_USER_INPUT (first outside 1–100, since not before until).',
  })
  async members(@Parent() organization: OrganizationObject, @Args() args: OrganizationMembersArgs, @Context() ctx: GqlContext) {
    const { members, totalCount } = await this.credit.membersOf(organization.id, args);
    const views = await ctx.loaders.memberById.loadMany(members.map((member) => member.memberId));
    const nodes = members.flatMap((credit, index) => {
      const member = views[index];
      return member && !(member instanceof Error) ? [{ ...credit, member }] : [];
    });
    return { totalCount, nodes };
  }

  @AdminOnly()
  @Mutation(() => OrganizationObject, {
    description:
      'Creates an organisation, then queues a recompute of automatic affiliations (its domains and name may match ' +
      `members). Errors: BAD_USER_INPUT (name, domain format, webmail domain), CONFLICT (name or a domain taken). ${ADMIN_ERRORS}`,
  })
  async createOrganization(@Args() args: CreateOrganizationArgs) {
    const organization = await this.organizationService.create(args);
    await this.requestRecompute();
    return organization;
  }

  @AdminOnly()
  @Mutation(() => OrganizationObject, {
    description:
      'Changes an organisation (null or absent arguments keep their value; domains replaces the list), then queues a ' +
      'recompute of automatic affiliations when the name or domains changed. Errors: BAD_USER_INPUT, NOT_FOUND, ' +
      `CONFLICT (as createOrganization). ${ADMIN_ERRORS}`,
  })
  async updateOrganization(@Args() { id, ...patch }: UpdateOrganizationArgs) {
    const organization = await this.organizationService.update(id, patch);
    if (patch.name != null || patch.domains != null) await this.requestRecompute();
    return organization;
  }

  /**
   * Queues a full recompute of automatic affiliations. The change is stored either way: when
   * Redis does not take the job, the scheduled recompute (every 6 hours) catches up, and a
   * warning says so.
   */
  private async requestRecompute(): Promise<void> {
    const data: RecomputeAffiliationsJobData = { memberIds: null };
    try {
      await this.affiliationsQueue.add(JobName.RecomputeAffiliations, data, { removeOnComplete: 100, removeOnFail: 100 });
    } catch (error) {
      this.logger.warn(`affiliation recompute not queued (${(error as Error).message}); the scheduled one will catch up`);
    }
  }
}
