import { Module } from '@nestjs/common';
import { StageService } from '../stages/stage.service.js';
import { StagesModule } from '../stages/stages.module.js';
import { IdentityExplanationService } from './identity-explanation.service.js';
import { MemberMergeService } from './member-merge.service.js';
import { MEMBERS_CHANGED_LISTENER } from './members-changed.listener.js';
import { MergeSuggestionService } from './merge-suggestion.service.js';

/**
 * Merges, unmerges, merge suggestions and the merge sweep, and the "why is this identity this
 * member's" read model. Needs the data source (DatabaseModule). After each merge or unmerge the
 * stages of both members are recomputed ({@link StageService.recomputeMembers}, as the
 * {@link MEMBERS_CHANGED_LISTENER}).
 */
@Module({
  imports: [StagesModule],
  providers: [
    MemberMergeService,
    MergeSuggestionService,
    IdentityExplanationService,
    { provide: MEMBERS_CHANGED_LISTENER, useExisting: StageService },
  ],
  exports: [MemberMergeService, MergeSuggestionService, IdentityExplanationService],
})
export class MergesModule {}
