import { Injectable, Module } from '@nestjs/common';
import type { Viewer } from '#libs/auth';
import { MemberQueriesModule, MemberQueryService } from '#libs/members';
import { AccessGrantService } from './access-grant.service.js';
import { AccessLookupService } from './access-lookup.service.js';
import { ViewerAccess } from './viewer-access.js';

/** Builds the per-request {@link ViewerAccess} of a viewer. */
@Injectable()
export class ViewerAccessFactory {
  constructor(
    private readonly grants: AccessGrantService,
    private readonly lookup: AccessLookupService,
    private readonly members: MemberQueryService,
  ) {}

  /** A fresh, lazily-read view of the viewer's roles (one per request: nothing is shared between requests). */
  create(viewer: Viewer): ViewerAccess {
    return new ViewerAccess(viewer, this.grants, this.lookup, (ref) => this.members.resolveRef(ref));
  }
}

/** Roles (issue 8): organiser grants and the facts access rules are decided on. Needs the app's TypeORM connection. */
@Module({
  imports: [MemberQueriesModule],
  providers: [AccessGrantService, AccessLookupService, ViewerAccessFactory],
  exports: [AccessGrantService, AccessLookupService, ViewerAccessFactory],
})
export class AccessModule {}
