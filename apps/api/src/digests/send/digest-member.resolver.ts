import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { DigestSendRecord, EmailPreferences } from '#libs/digests';
import { Access } from '../../graphql/access/access.decorator.js';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { MemberObject } from '../../members/member.type.js';
import { DigestSendObject, MemberEmailPreferencesObject } from './digest-send.types.js';

/** The member of a ledger row, for the console to name it (batched through the request's member loader). */
@Resolver(() => DigestSendObject)
export class DigestSendMemberResolver {
  @Access.asParent('Query.digestSends (admins)')
  @ResolveField(() => MemberObject, { nullable: true, description: 'The member the digest is for (`memberId`); null if the member is gone.' })
  member(@Parent() row: DigestSendRecord, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(row.memberId);
  }
}

/** The member e-mail preferences apply to, for the console to name it (batched through the request's member loader). */
@Resolver(() => MemberEmailPreferencesObject)
export class EmailPreferencesMemberResolver {
  @Access.asParent('Query.memberEmailPreferences, Query.digestUnsubscribes and Mutation.setMemberEmailPreferences (the member themself, admins)')
  @ResolveField(() => MemberObject, { nullable: true, description: 'The member they apply to (`memberId`, the survivor of any merge); null if the member is gone.' })
  member(@Parent() preferences: EmailPreferences, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(preferences.memberId);
  }
}
