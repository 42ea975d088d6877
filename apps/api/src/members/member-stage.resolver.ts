import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { StageQueryService, type MemberStageView, type StageTransitionView } from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';
import { MemberStageArgs } from '../stages/stages.args.js';
import { MemberStageObject, StageTransitionObject } from '../stages/stage.type.js';
import { MemberObject } from './member.type.js';

interface StageLoaders {
  stages: DataLoader<string, MemberStageView[]>;
  paths: DataLoader<string, StageTransitionView[]>;
}

/**
 * Member.stage, Member.stages and Member.path. The loaders live per request (keyed on the
 * request's context), so a page of members costs one query per field, never one per member.
 */
@Resolver(() => MemberObject)
export class MemberStageResolver {
  private readonly loaders = new WeakMap<GqlContext, StageLoaders>();

  constructor(private readonly stageQueries: StageQueryService) {}

  @ResolveField(() => MemberStageObject, {
    nullable: true,
    description:
      "The member's current stage in `ecosystem`, or without it the most advanced across ecosystems (LAPSED ranks last); " +
      'null when the member has none (bots and the deleted-user sentinel never do).',
  })
  async stage(@Parent() member: MemberObject, @Args() { ecosystem }: MemberStageArgs, @Context() ctx: GqlContext) {
    const all = await this.loadersFor(ctx).stages.load(member.id);
    return (ecosystem ? all.find((entry) => entry.ecosystemSlug === ecosystem) : all[0]) ?? null;
  }

  @ResolveField(() => [MemberStageObject], { description: 'The member’s stage in every ecosystem they were active in, most advanced first.' })
  stages(@Parent() member: MemberObject, @Context() ctx: GqlContext) {
    return this.loadersFor(ctx).stages.load(member.id);
  }

  @ResolveField(() => [StageTransitionObject], {
    description: "The member's path: every stage transition, oldest first (UTC instants), each with the activity that caused it; only `ecosystem`'s when given.",
  })
  async path(@Parent() member: MemberObject, @Args() { ecosystem }: MemberStageArgs, @Context() ctx: GqlContext) {
    const all = await this.loadersFor(ctx).paths.load(member.id);
    return ecosystem ? all.filter((entry) => entry.ecosystemSlug === ecosystem) : all;
  }

  private loadersFor(ctx: GqlContext): StageLoaders {
    let loaders = this.loaders.get(ctx);
    if (!loaders) {
      loaders = {
        stages: new DataLoader((ids) => this.stageQueries.stagesByMemberIds(ids)),
        paths: new DataLoader((ids) => this.stageQueries.pathsByMemberIds(ids)),
      };
      this.loaders.set(ctx, loaders);
    }
    return loaders;
  }
}
