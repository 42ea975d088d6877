import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { viewerActor } from '#libs/auth';
import { MemberDataExportService, MemberErasureService } from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';
import { assertMayActForMember } from './member-data-access.js';
import { MEMBER_EXPORT_PATH } from './member-data.controller.js';
import { ExportMemberDataArgs, MemberDataExportObject, MemberDeletionObject, RequestMemberDeletionArgs } from './member-data.type.js';
import { Access, AccessRules } from '../graphql/access/access.decorator.js';

/** GraphQL of a member's data: the export and the deletion (access: {@link assertMayActForMember}). */
@Resolver()
export class MemberDataResolver {
  constructor(
    private readonly exports: MemberDataExportService,
    private readonly erasure: MemberErasureService,
  ) {}

  // the same rule as assertMayActForMember (which also says whether the viewer acts as admin or as themself)
  @Access(AccessRules.self((args) => args.memberId))
  @Query(() => MemberDataExportObject, {
    description:
      "A member's data export with one page of activities. An admin may export any member, a signed-in member only themself. " +
      'Errors: UNAUTHENTICATED (anonymous), FORBIDDEN (another member), BAD_USER_INPUT (malformed id, page size or cursor), NOT_FOUND (admins: unknown member).',
  })
  async exportMemberData(@Args() args: ExportMemberDataArgs, @Context() ctx: GqlContext): Promise<MemberDataExportObject> {
    const access = await assertMayActForMember(ctx.viewer, args.memberId, (id) => this.exports.rootOf(id), 'exportMemberData');
    const document = await this.exports.export(args.memberId, { activitiesFirst: args.activitiesFirst, activitiesAfter: args.activitiesAfter });
    return {
      json: JSON.stringify(document),
      activitiesNextCursor: document.activities.nextCursor,
      downloadPath: access === 'self' ? MEMBER_EXPORT_PATH : null,
    };
  }

  @Access(AccessRules.self((args) => args.memberId))
  @Mutation(() => MemberDeletionObject, {
    description:
      "Deletes a member's personal data at once and keeps their contributions as the anonymous \"Deleted member\" (README \"Your data: export and deletion\"). " +
      'A signed-in member may delete only themself and confirms with `confirmLogin`; an admin may delete any member. Asking again changes nothing. ' +
      'Errors: UNAUTHENTICATED, FORBIDDEN (another member), BAD_USER_INPUT (wrong confirmation, malformed id, a bot or the deleted-user sentinel), NOT_FOUND.',
  })
  async requestMemberDeletion(@Args() args: RequestMemberDeletionArgs, @Context() ctx: GqlContext): Promise<MemberDeletionObject> {
    const access = await assertMayActForMember(ctx.viewer, args.memberId, (id) => this.exports.rootOf(id), 'requestMemberDeletion');
    if (access === 'self') await this.erasure.checkConfirmation(args.memberId, args.confirmLogin);
    const requestedBy = viewerActor(ctx.viewer);
    if (!requestedBy) throw new Error('requestMemberDeletion: an authorised viewer without an actor');
    const record = await this.erasure.erase(args.memberId, requestedBy);
    return {
      memberId: record.memberId,
      requestedBy: record.requestedBy,
      requestedAt: record.requestedAt,
      completedAt: record.completedAt,
      alreadyDeleted: record.alreadyErased,
      removed: JSON.stringify(record.removed),
    };
  }
}
