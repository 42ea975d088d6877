import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { isAdminViewer } from '#libs/auth';
import { ContributionFreezeTrigger, HackathonService, badInput, type HackathonEntity } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { RepositoryObject } from '../../repositories/repository.type.js';
import {
  ChangeHackathonStatusArgs,
  CreateHackathonArgs,
  HackathonArgs,
  HackathonRepositoriesArgs,
  HackathonsArgs,
  UpdateHackathonArgs,
} from './hackathon.args.js';
import { HackathonLoadersFactory } from './hackathon-loaders.js';
import { HackathonConnectionType, HackathonType } from './hackathon.type.js';
import { HackathonRegistrationType } from './registration.type.js';
import { SubmissionType } from './submission.type.js';
import { TeamType } from './team.type.js';
import { Access } from '../../graphql/access/access.decorator.js';
import { ACCESS_ERRORS, HackathonRules } from '../hackathon-access.rules.js';
import { visibleSubmissions } from './submission-visibility.js';

/** How admin-only operations fail without the right token. */
export const ADMIN_ERRORS = 'Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role.';

@Resolver(() => HackathonType)
export class HackathonResolver {
  constructor(
    private readonly hackathonService: HackathonService,
    private readonly loaders: HackathonLoadersFactory,
    private readonly freezeTrigger: ContributionFreezeTrigger,
  ) {}

  @Access.public()
  @Query(() => HackathonType, {
    nullable: true,
    description:
      'One hackathon by slug or id; null when there is none, and for a draft unless the viewer is an admin or an organiser of ' +
      'it (drafts are unannounced). Errors: BAD_USER_INPUT unless exactly one of slug and id is given.',
  })
  async hackathon(@Args() { slug, id }: HackathonArgs, @Context() ctx: GqlContext) {
    if ((slug == null) === (id == null)) throw badInput('Give exactly one of slug and id');
    const hackathon = slug != null ? await this.hackathonService.findBySlug(slug) : await this.hackathonService.findById(id!);
    if (!hackathon || hackathon.status !== 'draft') return hackathon;
    return (await ctx.access.managesHackathon({ hackathonId: hackathon.id, ecosystemId: hackathon.ecosystemId })) ? hackathon : null;
  }

  @Access.public()
  @Query(() => HackathonConnectionType, {
    description:
      'Hackathons, newest start first, optionally of one ecosystem and status; drafts only with an admin API token. ' +
      'Errors: BAD_USER_INPUT (first outside 1–100, a foreign cursor), NOT_FOUND (unknown ecosystem).',
  })
  hackathons(@Args() args: HackathonsArgs, @Context() ctx: GqlContext) {
    return this.hackathonService.list({ ...args, excludeDrafts: !isAdminViewer(ctx.viewer) });
  }

  @ResolveField(() => String, { description: 'Slug of the ecosystem the hackathon belongs to.' })
  async ecosystemSlug(@Parent() hackathon: HackathonEntity, @Context() ctx: GqlContext) {
    return (await this.loaders.for(ctx).ecosystemSlugById.load(hackathon.ecosystemId)) ?? '';
  }

  @ResolveField(() => [RepositoryObject], {
    description: 'Repositories tracked explicitly (repositories with trackedTopic count too), by GitHub id.',
  })
  async trackedRepositories(@Parent() hackathon: HackathonEntity, @Context() ctx: GqlContext) {
    const ids = await this.loaders.for(ctx).trackedRepositoryIdsByHackathonId.load(hackathon.id);
    const repositories = await ctx.loaders.repositoryById.loadMany(ids);
    return repositories.filter((repository) => repository && !(repository instanceof Error));
  }

  @Access.public()
  @ResolveField(() => [HackathonRegistrationType], {
    description: 'Active registrations (withdrawn ones left out), oldest first; one per member, merged members counted once.',
  })
  registrations(@Parent() hackathon: HackathonEntity, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).registrationsByHackathonId.load(hackathon.id);
  }

  @ResolveField(() => [TeamType], { description: 'Teams, by name.' })
  teams(@Parent() hackathon: HackathonEntity, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).teamsByHackathonId.load(hackathon.id);
  }

  @Access.public()
  @ResolveField(() => [SubmissionType], {
    description:
      'Submissions, oldest first. Everyone sees them all once the hackathon is FINISHED (its results published); before ' +
      "that, admins and the hackathon's organisers see all, a team's members their own team's, a judge the ones assigned to " +
      'them that they have no conflict of interest with now, and everyone else none.',
  })
  async submissions(@Parent() hackathon: HackathonEntity, @Context() ctx: GqlContext) {
    return visibleSubmissions(ctx, hackathon.status, await this.loaders.for(ctx).submissionsByHackathonId.load(hackathon.id));
  }

  @Access(HackathonRules.createInEcosystem)
  @Mutation(() => HackathonType, {
    description:
      'Creates a hackathon in DRAFT. Errors: BAD_USER_INPUT (slug or topic format, window order, team sizes, a label ' +
      `containing spam/invalid, a malformed repository), NOT_FOUND (ecosystem, a repository unknown to it), CONFLICT (slug taken). Needs an admin or an organiser of the ecosystem: UNAUTHENTICATED without credentials, FORBIDDEN otherwise.`,
  })
  createHackathon(@Args() args: CreateHackathonArgs) {
    return this.hackathonService.create(args);
  }

  @Access(HackathonRules.manageById)
  @Mutation(() => HackathonType, {
    description:
      'Changes a hackathon (null or absent arguments keep their value); validated as on creation. Errors: as ' +
      'createHackathon; NOT_FOUND (hackathon); CONFLICT for window, label, topic or team-size changes once eligibility is ' +
      `frozen, or a maximum team size below an existing team's size. ${ACCESS_ERRORS.organizer}`,
  })
  updateHackathon(@Args() { id, ...patch }: UpdateHackathonArgs) {
    return this.hackathonService.update(id, patch);
  }

  @Access(HackathonRules.manageById)
  @Mutation(() => HackathonType, {
    description:
      'Moves a hackathon one step forward: DRAFT → REGISTRATION_OPEN → RUNNING → JUDGING → FINISHED. Errors: NOT_FOUND; ' +
      `CONFLICT for a skip, a step back or no change (the message names the allowed next status). Moving to JUDGING ` +
      `requests the freeze of contribution eligibility (it happens once the event window has ended). ${ACCESS_ERRORS.organizer}`,
  })
  async changeHackathonStatus(@Args() { id, status }: ChangeHackathonStatusArgs) {
    const hackathon = await this.hackathonService.changeStatus(id, status);
    if (hackathon.status === 'judging' || hackathon.status === 'finished') await this.freezeTrigger.hackathonClosed(hackathon.id);
    return hackathon;
  }

  @Access(HackathonRules.manageById)
  @Mutation(() => HackathonType, {
    description:
      'Tracks more repositories (already tracked ones are kept). Errors: NOT_FOUND (hackathon; a repository unknown to ' +
      `its ecosystem), BAD_USER_INPUT (malformed), CONFLICT once eligibility is frozen. ${ACCESS_ERRORS.organizer}`,
  })
  addHackathonRepositories(@Args() { id, repositories }: HackathonRepositoriesArgs) {
    return this.hackathonService.addRepositories(id, repositories);
  }

  @Access(HackathonRules.manageById)
  @Mutation(() => HackathonType, {
    description: `Stops tracking repositories (untracked ones are ignored). Errors: as addHackathonRepositories. ${ACCESS_ERRORS.organizer}`,
  })
  removeHackathonRepositories(@Args() { id, repositories }: HackathonRepositoriesArgs) {
    return this.hackathonService.removeRepositories(id, repositories);
  }
}
