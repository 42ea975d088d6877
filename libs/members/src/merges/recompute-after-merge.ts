import { Injectable } from '@nestjs/common';
import { AffiliationRecomputeService } from '../affiliations/affiliation-recompute.service.js';
import { StageService } from '../stages/stage.service.js';
import type { MembersChangedListener } from './members-changed.listener.js';

/**
 * What a merge or an unmerge changes downstream, recomputed for the members concerned: automatic
 * affiliations first (the e-mail identities that moved bring their domains), then stages (the
 * activities that moved change each member's path).
 */
@Injectable()
export class RecomputeAfterMerge implements MembersChangedListener {
  constructor(
    private readonly affiliations: AffiliationRecomputeService,
    private readonly stages: StageService,
  ) {}

  async recomputeMembers(memberIds: string[]): Promise<void> {
    await this.affiliations.recompute({ memberIds });
    await this.stages.recomputeMembers(memberIds);
  }
}
