import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { EcosystemService, parseTrackedSource, SyncSchedulerService } from '#libs/github';
import { EcosystemQueryService } from '#libs/members';
import { AdminOnly } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { AddTrackedSourceArgs, CreateEcosystemArgs, EcosystemArgs, SetTrackedSourcePausedArgs, StartSyncArgs, TrackedSourceArgs } from './ecosystem.args.js';
import {
  AddTrackedSourcePayload,
  EcosystemObject,
  StartSyncPayload,
  SyncRequestStatusEnum,
  TrackedSourceObject,
} from './ecosystem.type.js';
import { Access } from '../graphql/access/access.decorator.js';

const ADMIN_ERRORS = 'Needs an admin API token: UNAUTHENTICATED without one.';

@Resolver(() => EcosystemObject)
export class EcosystemResolver {
  constructor(
    private readonly ecosystemQueries: EcosystemQueryService,
    private readonly ecosystemService: EcosystemService,
    private readonly scheduler: SyncSchedulerService,
  ) {}

  @Access.public()
  @Query(() => EcosystemObject, { nullable: true, description: 'The ecosystem with this slug, or null.' })
  ecosystem(@Args() { slug }: EcosystemArgs) {
    return this.ecosystemQueries.bySlug(slug);
  }

  @Access.public()
  @Query(() => [EcosystemObject], { description: 'Every ecosystem, by slug.' })
  ecosystems() {
    return this.ecosystemQueries.list();
  }

  @ResolveField(() => [TrackedSourceObject], { description: 'Tracked sources, by kind then name (paused ones included).' })
  trackedSources(@Parent() ecosystem: EcosystemObject, @Context() ctx: GqlContext) {
    return ctx.loaders.trackedSourcesByEcosystemId.load(ecosystem.id);
  }

  @ResolveField(() => Int, {
    description: 'Number of distinct repositories its tracked sources have discovered (0 before the first sync).',
  })
  repositoryCount(@Parent() ecosystem: EcosystemObject, @Context() ctx: GqlContext) {
    return ctx.loaders.repositoryCountByEcosystemId.load(ecosystem.id);
  }

  @AdminOnly()
  @Mutation(() => EcosystemObject, { description: `Creates an ecosystem. ${ADMIN_ERRORS}` })
  createEcosystem(@Args() { slug, name }: CreateEcosystemArgs) {
    return this.ecosystemService.create(slug, name);
  }

  @AdminOnly()
  @Mutation(() => AddTrackedSourcePayload, {
    description: `Tracks an organisation, user or repository; tracking it again changes nothing. ${ADMIN_ERRORS}`,
  })
  async addTrackedSource(@Args() args: AddTrackedSourceArgs): Promise<AddTrackedSourcePayload> {
    const { source, created } = await this.ecosystemService.track(args.ecosystem, parseTrackedSource(args.kind, args.name));
    return { trackedSource: source as TrackedSourceObject, created };
  }

  @AdminOnly()
  @Mutation(() => TrackedSourceObject, {
    description:
      'Pauses or resumes a tracked source: a paused source is neither listed nor synced (its repositories and history stay; ' +
      `another source covering a repository still syncs it). Returns the source as changed. Errors: NOT_FOUND (unknown ecosystem or ` +
      `source), BAD_USER_INPUT (invalid name). ${ADMIN_ERRORS}`,
  })
  async setTrackedSourcePaused(@Args() args: SetTrackedSourcePausedArgs): Promise<TrackedSourceObject> {
    return (await this.ecosystemService.setPaused(args.ecosystem, parseTrackedSource(args.kind, args.name), args.paused)) as TrackedSourceObject;
  }

  @AdminOnly()
  @Mutation(() => Boolean, {
    description:
      'Stops tracking a source. Its repositories and their history stay, no longer synced unless another source of the ' +
      `ecosystem covers them. Returns true. Errors: NOT_FOUND (unknown ecosystem or source), BAD_USER_INPUT (invalid name). ${ADMIN_ERRORS}`,
  })
  async removeTrackedSource(@Args() args: TrackedSourceArgs): Promise<boolean> {
    await this.ecosystemService.untrack(args.ecosystem, parseTrackedSource(args.kind, args.name));
    return true;
  }

  @AdminOnly()
  @Mutation(() => StartSyncPayload, {
    description:
      'Enqueues repository discovery for the ecosystem, then a sync of each repository (background jobs; ' +
      `progress shows in the data as it lands). ${ADMIN_ERRORS}`,
  })
  async startSync(@Args() args: StartSyncArgs): Promise<StartSyncPayload> {
    const ecosystem = await this.ecosystemService.getBySlug(args.ecosystem);
    const { jobId, status } = await this.scheduler.requestDiscovery(ecosystem.id);
    return { ecosystem, jobId, status: status as SyncRequestStatusEnum };
  }
}
