import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { StagesModule } from '../stages/stages.module.js';
import { IdentityExplanationService } from './identity-explanation.service.js';
import { MemberMergeService } from './member-merge.service.js';
import { MEMBERS_CHANGED_LISTENER } from './members-changed.listener.js';
import { MergeSuggestionService } from './merge-suggestion.service.js';
import { RecomputeAfterMerge } from './recompute-after-merge.js';

/**
 * Merges, unmerges, merge suggestions and the merge sweep, and the "why is this identity this
 * member's" read model. Needs the data source (DatabaseModule). After each merge or unmerge the
 * affiliations and stages of both members are recomputed ({@link RecomputeAfterMerge}, as the
 * {@link MEMBERS_CHANGED_LISTENER}).
 */
@Module({
  imports: [StagesModule, OrganizationsModule],
  providers: [
    MemberMergeService,
    MergeSuggestionService,
    IdentityExplanationService,
    RecomputeAfterMerge,
    { provide: MEMBERS_CHANGED_LISTENER, useExisting: RecomputeAfterMerge },
  ],
  exports: [MemberMergeService, MergeSuggestionService, IdentityExplanationService],
})
export class MergesModule {}
