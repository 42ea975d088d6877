import { Module } from '@nestjs/common';
import { AffiliationRecomputeService } from '../affiliations/affiliation-recompute.service.js';
import { AffiliationService } from '../affiliations/affiliation.service.js';
import { ContributionCreditService } from '../affiliations/contribution-credit.service.js';
import { OrganizationService } from './organization.service.js';

/** Organisations, members' affiliations with them, and crediting contributions by date. Needs the DatabaseModule. */
@Module({
  providers: [OrganizationService, AffiliationService, AffiliationRecomputeService, ContributionCreditService],
  exports: [OrganizationService, AffiliationService, AffiliationRecomputeService, ContributionCreditService],
})
export class OrganizationsModule {}
