import { Module } from '@nestjs/common';
import { IdentityExplanationService } from './identity-explanation.service.js';
import { MemberMergeService } from './member-merge.service.js';
import { MergeSuggestionService } from './merge-suggestion.service.js';

/**
 * Merges, unmerges, merge suggestions and the merge sweep, and the "why is this identity this
 * member's" read model. Needs the data source (DatabaseModule). A module that recomputes what depends
 * on members' activities provides {@link MEMBERS_CHANGED_LISTENER} to be told after each merge.
 */
@Module({
  providers: [MemberMergeService, MergeSuggestionService, IdentityExplanationService],
  exports: [MemberMergeService, MergeSuggestionService, IdentityExplanationService],
})
export class MergesModule {}
