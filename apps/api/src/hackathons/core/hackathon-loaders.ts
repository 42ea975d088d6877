import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import {
  HackathonService,
  RegistrationQueryService,
  SubmissionQueryService,
  TeamQueryService,
  type HackathonEntity,
  type HackathonRegistrationEntity,
  type LinkedPullRequestView,
  type SubmissionEntity,
  type TeamEntity,
  type TeamMemberView,
} from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';

/** The hackathon-core DataLoaders of one request. */
export interface HackathonLoaders {
  hackathonById: DataLoader<string, HackathonEntity | null>;
  trackedRepositoryIdsByHackathonId: DataLoader<string, number[]>;
  registrationsByHackathonId: DataLoader<string, HackathonRegistrationEntity[]>;
  teamById: DataLoader<string, TeamEntity | null>;
  teamsByHackathonId: DataLoader<string, TeamEntity[]>;
  membersByTeamId: DataLoader<string, TeamMemberView[]>;
  submissionByTeamId: DataLoader<string, SubmissionEntity | null>;
  submissionsByHackathonId: DataLoader<string, SubmissionEntity[]>;
  pullRequestsBySubmissionId: DataLoader<string, LinkedPullRequestView[]>;
  ecosystemSlugById: DataLoader<number, string | null>;
}

/**
 * Creates the hackathon loaders of a request on first use and keeps them with that request's
 * context (every resolver of the request shares one batch per loader). Other hackathon API
 * modules may use it to load teams and hackathons.
 */
@Injectable()
export class HackathonLoadersFactory {
  private readonly byContext = new WeakMap<GqlContext, HackathonLoaders>();

  constructor(
    private readonly hackathons: HackathonService,
    private readonly registrations: RegistrationQueryService,
    private readonly teams: TeamQueryService,
    private readonly submissions: SubmissionQueryService,
  ) {}

  /** The loaders of the request `ctx` belongs to. */
  for(ctx: GqlContext): HackathonLoaders {
    let loaders = this.byContext.get(ctx);
    if (!loaders) {
      loaders = {
        hackathonById: new DataLoader((ids) => this.hackathons.byIds(ids)),
        trackedRepositoryIdsByHackathonId: new DataLoader((ids) => this.hackathons.trackedRepositoryIds(ids)),
        registrationsByHackathonId: new DataLoader((ids) => this.registrations.activeByHackathonIds(ids)),
        teamById: new DataLoader((ids) => this.teams.byIds(ids)),
        teamsByHackathonId: new DataLoader((ids) => this.teams.byHackathonIds(ids)),
        membersByTeamId: new DataLoader((ids) => this.teams.membersByTeamIds(ids)),
        submissionByTeamId: new DataLoader((ids) => this.submissions.byTeamIds(ids)),
        submissionsByHackathonId: new DataLoader((ids) => this.submissions.byHackathonIds(ids)),
        pullRequestsBySubmissionId: new DataLoader((ids) => this.submissions.pullRequestsBySubmissionIds(ids)),
        ecosystemSlugById: new DataLoader((ids) => this.hackathons.ecosystemSlugs(ids)),
      };
      this.byContext.set(ctx, loaders);
    }
    return loaders;
  }
}
