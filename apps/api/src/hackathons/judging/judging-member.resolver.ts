import type { Type } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { MemberObject } from '../../members/member.type.js';
import {
  JudgeAssignmentObject,
  JudgeNormalizationObject,
  JudgeObject,
  JudgeProgressObject,
  JudgeResultObject,
  JudgeScoreObject,
} from './judging.type.js';

/** A `member` field (the judge as a member, through the request's member loader) on `type`. */
function judgeMemberResolver(type: Type<{ memberId: string }>) {
  @Resolver(() => type)
  class JudgeMemberResolver {
    @ResolveField(() => MemberObject, { nullable: true, description: 'The judge, as a member.' })
    member(@Parent() parent: { memberId: string }, @Context() ctx: GqlContext) {
      return ctx.loaders.memberById.load(parent.memberId);
    }
  }
  Object.defineProperty(JudgeMemberResolver, 'name', { value: `${type.name}MemberResolver` });
  return JudgeMemberResolver;
}

/** `member` on every judging type that names a judge. */
export const JUDGE_MEMBER_RESOLVERS = [
  JudgeObject,
  JudgeAssignmentObject,
  JudgeScoreObject,
  JudgeResultObject,
  JudgeNormalizationObject,
  JudgeProgressObject,
].map(judgeMemberResolver);
