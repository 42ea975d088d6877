import { Module } from '@nestjs/common';
import { AffiliationRecomputeService } from '../affiliations/affiliation-recompute.service.js';
import { AffiliationService } from '../affiliations/affiliation.service.js';
import { ContributionCreditService } from '../affiliations/contribution-credit.service.js';
import { ProfileCompanyService } from '../affiliations/profile-company.service.js';
import { OrganizationService } from './organization.service.js';

/**
 * Organisations, members' affiliations with them (and the profile companies they are derived from),
 * and crediting contributions by date. Needs the DatabaseModule.
 */
@Module({
  providers: [OrganizationService, AffiliationService, AffiliationRecomputeService, ContributionCreditService, ProfileCompanyService],
  exports: [OrganizationService, AffiliationService, AffiliationRecomputeService, ContributionCreditService, ProfileCompanyService],
})
export class OrganizationsModule {}
