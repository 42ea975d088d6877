import { Context, ResolveField, Resolver } from '@nestjs/graphql';
import type { HackathonEntity } from '#libs/hackathons';
import { ViewerObject } from '../../auth/viewer.resolver.js';
import { Access } from '../../graphql/access/access.decorator.js';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { HackathonLoadersFactory } from '../core/hackathon-loaders.js';
import { HackathonType } from '../core/hackathon.type.js';

/** `Viewer.judgedHackathons`: where the signed-in member judges, for the console's Judging page. */
@Resolver(() => ViewerObject)
export class ViewerJudgingResolver {
  constructor(private readonly loaders: HackathonLoadersFactory) {}

  @Access.asParent("Query.viewer (always the asker's own)")
  @ResolveField(() => [HackathonType], {
    description:
      'The hackathons the signed-in member judges, newest start first, without drafts (unannounced, as in `Query.hackathon`); ' +
      'empty unless kind is SESSION. Their judgeAssignments and judgeScores, asked for with the member as `judge`, are the ' +
      "member's own.",
  })
  async judgedHackathons(@Context() ctx: GqlContext): Promise<HackathonEntity[]> {
    const ids = [...(await ctx.access.judgedHackathons())];
    const hackathons = await this.loaders.for(ctx).hackathonById.loadMany(ids);
    return hackathons
      .filter((hackathon): hackathon is HackathonEntity => hackathon != null && !(hackathon instanceof Error) && hackathon.status !== 'draft')
      .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime() || a.id.localeCompare(b.id));
  }
}
