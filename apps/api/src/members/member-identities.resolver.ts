import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { viewerActor } from '#libs/auth';
import {
  IdentityExplanationService,
  IdentityService,
  MemberMergeService,
  MergeSuggestionService,
  type IdentityProof,
  type MergeSuggestionView,
  type MergeView,
} from '#libs/members';
import { AdminOnly } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import {
  DecideMergeSuggestionArgs,
  IdentityProofObject,
  MemberForLoginArgs,
  MemberMergeObject,
  MergeMembersArgs,
  MergeSuggestionConnectionObject,
  MergeSuggestionObject,
  MergeSuggestionsArgs,
  UnmergeMemberArgs,
} from './member-identities.type.js';
import { IdentityObject, MemberObject } from './member.type.js';
import { Access } from '../graphql/access/access.decorator.js';

const ADMIN_ERRORS = 'Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role.';

interface IdentityLoaders {
  proofsByIdentityId: DataLoader<string, IdentityProof[]>;
  mergesByMemberId: DataLoader<string, MergeView[]>;
  mergedIntoByMemberId: DataLoader<string, string | null>;
}

/** Loaders of identity evidence and merges, one set per request (created on first use). */
const loadersOfRequest = new WeakMap<GqlContext, IdentityLoaders>();

function identityLoaders(ctx: GqlContext, explanations: IdentityExplanationService, merges: MemberMergeService): IdentityLoaders {
  let loaders = loadersOfRequest.get(ctx);
  if (!loaders) {
    loaders = {
      proofsByIdentityId: new DataLoader((ids) => explanations.proofsByIdentityIds(ids)),
      mergesByMemberId: new DataLoader((ids) => merges.mergesByMemberIds(ids)),
      mergedIntoByMemberId: new DataLoader((ids) => merges.mergedIntoByMemberIds(ids)),
    };
    loadersOfRequest.set(ctx, loaders);
  }
  return loaders;
}

function toSuggestionObject(view: MergeSuggestionView): MergeSuggestionObject {
  const { evidence, ...rest } = view;
  return { ...rest, evidenceJson: JSON.stringify(evidence) } as MergeSuggestionObject;
}

/** The actor recorded for an admin's merge decisions. */
function adminActor(ctx: GqlContext): string {
  return `admin:${ctx.viewer.tokenId ?? viewerActor(ctx.viewer)}`;
}

/**
 * "Why are these identities one person?": each identity's key and proofs, each member's merges, and
 * the admin's merge tools (merge, unmerge, suggestions). E-mail addresses are personal data: e-mail
 * identities reach only admin tokens (the identities loader leaves them out otherwise), and merge
 * suggestions, whose evidence names addresses, are admin-only.
 */
@Resolver(() => MemberObject)
export class MemberIdentitiesResolver {
  constructor(
    private readonly identities: IdentityService,
    private readonly memberMerges: MemberMergeService,
    private readonly suggestions: MergeSuggestionService,
    private readonly explanations: IdentityExplanationService,
  ) {}

  @ResolveField(() => [MemberMergeObject], {
    description:
      'Merges this member took part in (as survivor or as the merged member), undone ones included, oldest first: ' +
      'with `identities { proofs }`, the answer to "why are these identities one person?".',
  })
  merges(@Parent() member: MemberObject, @Context() ctx: GqlContext) {
    return identityLoaders(ctx, this.explanations, this.memberMerges).mergesByMemberId.load(member.id);
  }

  @ResolveField(() => MemberObject, {
    nullable: true,
    description:
      'The member this one was merged into (its identities and activities are there now); null while it stands on its own.',
  })
  async mergedInto(@Parent() member: MemberObject, @Context() ctx: GqlContext) {
    const into = await identityLoaders(ctx, this.explanations, this.memberMerges).mergedIntoByMemberId.load(member.id);
    return into ? ctx.loaders.memberById.load(into) : null;
  }

  @Access.public()
  @Query(() => MemberObject, {
    nullable: true,
    description:
      'The member of the GitHub account that currently holds a login, compared case-insensitively (e.g. a hackathon ' +
      'registration naming `Oak-River`); when a login was reused, the account that holds it now. Null when no stored ' +
      'account holds it. Errors: BAD_USER_INPUT for a string GitHub could not have issued as a login.',
  })
  async memberForLogin(@Args() { login }: MemberForLoginArgs, @Context() ctx: GqlContext) {
    const holder = await this.identities.resolveLogin(login);
    return holder?.memberId ? ctx.loaders.memberById.load(holder.memberId) : null;
  }

  @AdminOnly()
  @Query(() => MergeSuggestionConnectionObject, {
    description: `Merge suggestions with this status, oldest first. BAD_USER_INPUT for first outside 1–100 or a foreign cursor. ${ADMIN_ERRORS}`,
  })
  async mergeSuggestions(@Args() args: MergeSuggestionsArgs) {
    const page = await this.suggestions.list(args);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toSuggestionObject(edge.node) })) };
  }

  @AdminOnly()
  @Mutation(() => MemberMergeObject, {
    description:
      'Merges member `from` into member `into`: identities, GitHub accounts and activities move; `from` stays, marked ' +
      'merged, so `unmergeMember` restores it exactly. Errors: BAD_USER_INPUT (blank reason, the same member, a bot with ' +
      `a person, the deleted-user sentinel), NOT_FOUND, CONFLICT (a member already merged into another). ${ADMIN_ERRORS}`,
  })
  mergeMembers(@Args() { into, from, reason }: MergeMembersArgs, @Context() ctx: GqlContext) {
    return this.memberMerges.merge(into, from, { reason, actor: adminActor(ctx) });
  }

  @AdminOnly()
  @Mutation(() => MemberMergeObject, {
    description:
      'Undoes a merge exactly (identities, accounts, activities, logins and names as before); a suggestion it came from ' +
      'becomes rejected, so the merge sweep never redoes it. Errors: NOT_FOUND, CONFLICT (already undone, or the survivor ' +
      `was merged again since: undo that first). ${ADMIN_ERRORS}`,
  })
  unmergeMember(@Args() { mergeId, reason }: UnmergeMemberArgs, @Context() ctx: GqlContext) {
    return this.memberMerges.unmerge(mergeId, { actor: adminActor(ctx), reason });
  }

  @AdminOnly()
  @Mutation(() => MemberMergeObject, {
    description: `Accepts an open merge suggestion: merges its other member into its member. Errors: NOT_FOUND, CONFLICT (not open). ${ADMIN_ERRORS}`,
  })
  acceptMergeSuggestion(@Args() { id, reason }: DecideMergeSuggestionArgs, @Context() ctx: GqlContext) {
    return this.suggestions.accept(id, adminActor(ctx), reason);
  }

  @AdminOnly()
  @Mutation(() => MergeSuggestionObject, {
    description: `Rejects an open merge suggestion; it is never suggested again on this evidence. Errors: NOT_FOUND, CONFLICT (not open). ${ADMIN_ERRORS}`,
  })
  async rejectMergeSuggestion(@Args() { id }: DecideMergeSuggestionArgs, @Context() ctx: GqlContext) {
    return toSuggestionObject(await this.suggestions.reject(id, adminActor(ctx)));
  }
}

/** Fields of an identity that explain it: its key and the evidence that ties it to its member. */
@Resolver(() => IdentityObject)
export class IdentityProofsResolver {
  constructor(
    private readonly explanations: IdentityExplanationService,
    private readonly merges: MemberMergeService,
  ) {}

  @ResolveField(() => String, {
    description:
      'The identity\'s key: the GitHub account id, the e-mail address (EMAIL identities reach admin tokens only), or ' +
      '`ghost` for the deleted-account sentinel.',
  })
  key(@Parent() identity: IdentityObject): string {
    if (identity.platform === 'github') return String(identity.githubAccountId);
    if (identity.platform === 'email') return identity.email ?? '';
    return 'ghost';
  }

  @Access.public()
  @ResolveField(() => [IdentityProofObject], {
    description:
      'Why this identity belongs to its member, oldest first: how it was first resolved, what GitHub said about it ' +
      'since (API links, verified addresses), flags (a noreply address whose id disagrees with the API: never merged), ' +
      'and the merge that moved it here.',
  })
  proofs(@Parent() identity: IdentityObject, @Context() ctx: GqlContext) {
    return identityLoaders(ctx, this.explanations, this.merges).proofsByIdentityId.load(identity.id);
  }
}

/** The members of a merge suggestion, through the request's member loader. */
@Resolver(() => MergeSuggestionObject)
export class MergeSuggestionMembersResolver {
  @ResolveField(() => MemberObject, { nullable: true, description: 'The member that would keep the identities.' })
  member(@Parent() suggestion: MergeSuggestionObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(suggestion.memberId);
  }

  @ResolveField(() => MemberObject, { nullable: true, description: 'The member that would be merged into `member`.' })
  otherMember(@Parent() suggestion: MergeSuggestionObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(suggestion.otherMemberId);
  }
}

/** The members of a merge, through the request's member loader. */
@Resolver(() => MemberMergeObject)
export class MemberMergeMembersResolver {
  @ResolveField(() => MemberObject, { nullable: true, description: 'The member that kept the identities, as it is now.' })
  into(@Parent() merge: MemberMergeObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(merge.intoMemberId);
  }

  @ResolveField(() => MemberObject, { nullable: true, description: 'The member whose identities moved, as it is now.' })
  from(@Parent() merge: MemberMergeObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(merge.fromMemberId);
  }

  @Access.adminOrHidden()
  @ResolveField(() => String, {
    nullable: true,
    description: 'Why the members are one person (admin tokens only: an admin\'s words may hold personal data; null otherwise).',
  })
  reason(@Parent() merge: MemberMergeObject): string | null {
    return merge.reason;
  }

  @Access.adminOrHidden()
  @ResolveField(() => String, { nullable: true, description: 'Why the merge was undone (admin tokens only; null otherwise).' })
  unmergeReason(@Parent() merge: MemberMergeObject): string | null {
    return merge.unmergeReason;
  }
}

/** Every resolver of this file, for the GraphQL module. */
export const MEMBER_IDENTITY_RESOLVERS = [
  MemberIdentitiesResolver,
  IdentityProofsResolver,
  MergeSuggestionMembersResolver,
  MemberMergeMembersResolver,
];
