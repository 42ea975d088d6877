import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ResourceRequestService, ResourceService } from '#libs/hackathons';
import { CreateResourceInput, CreateResourceRequestInput, HackathonIdArgs, IdArgs, ResourceRequestsArgs, UpdateResourceInput, UpdateResourceRequestInput } from './matching.args.js';
import { ResourceObject, ResourceRequestObject } from './matching.types.js';
import { Access } from '../../graphql/access/access.decorator.js';
import { HackathonRules } from '../hackathon-access.rules.js';

/**
 * GraphQL nulls of fields that cannot be null mean "not given" (the service validates the rest
 * with zod and names what is wrong).
 */
export function dropNulls<T extends object>(input: T, keep: Array<keyof T> = []): never {
  return Object.fromEntries(Object.entries(input).map(([key, value]) => [key, value === null && !keep.includes(key as keyof T) ? undefined : value])) as never;
}

/** Resources and teams' requests of hackathons: reads for everyone; resources change by organisers, requests by their teams too. */
@Resolver()
export class ResourcesResolver {
  constructor(
    private readonly resources: ResourceService,
    private readonly requests: ResourceRequestService,
  ) {}

  @Access.public()
  @Query(() => [ResourceObject], { description: "A hackathon's resources by kind, then name. Errors: NOT_FOUND (unknown hackathon)." })
  hackathonResources(@Args() { hackathonId }: HackathonIdArgs) {
    return this.resources.list(hackathonId);
  }

  @Access.public()
  @Query(() => [ResourceRequestObject], { description: "A hackathon's resource requests (or one team's), by team then rank. Errors: NOT_FOUND." })
  resourceRequests(@Args() { hackathonId, teamId }: ResourceRequestsArgs) {
    return this.requests.list({ hackathonId, teamId });
  }

  @Access(HackathonRules.manageByHackathonId)
  @Mutation(() => ResourceObject, { description: 'Adds a resource to a hackathon. Admins and organisers of the hackathon. Errors: BAD_USER_INPUT naming fields, NOT_FOUND, CONFLICT (name taken).' })
  createResource(@Args() { hackathonId }: HackathonIdArgs, @Args('input', { description: 'The new resource.' }) input: CreateResourceInput) {
    return this.resources.create(hackathonId, dropNulls(input, ['sponsor', 'mentorMemberId', 'eligibilityMinTeamSize']));
  }

  @Access(HackathonRules.manageByResourceId)
  @Mutation(() => ResourceObject, { description: 'Changes a resource (the next run uses it; drafts keep what they were solved with). Admins and organisers of the hackathon. Errors: BAD_USER_INPUT, NOT_FOUND, CONFLICT.' })
  updateResource(@Args() { id }: IdArgs, @Args('input', { description: 'Fields to change; those not given keep their value.' }) input: UpdateResourceInput) {
    return this.resources.update(id, dropNulls(input, ['sponsor', 'eligibilityMinTeamSize']));
  }

  @Access(HackathonRules.manageByResourceId)
  @Mutation(() => ResourceObject, { description: 'Removes a resource with its requests, pins and allocations (a draft that allocated it becomes SUPERSEDED: start a new run); returns it as it was. Admins and organisers of the hackathon. Errors: NOT_FOUND.' })
  deleteResource(@Args() { id }: IdArgs) {
    return this.resources.remove(id);
  }

  @Access(HackathonRules.teamRequestCreate)
  @Mutation(() => ResourceRequestObject, { description: "Files a team's request. Admin token needed. Errors: BAD_USER_INPUT, NOT_FOUND (team, resource), CONFLICT (rank taken)." })
  createResourceRequest(@Args('input', { description: 'The new request of a team.' }) input: CreateResourceRequestInput) {
    return this.requests.create(dropNulls(input, ['resourceId', 'kind']));
  }

  @Access(HackathonRules.teamRequestById)
  @Mutation(() => ResourceRequestObject, { description: 'Changes a request. Members of the team, and admins and organisers of the hackathon. Errors: BAD_USER_INPUT, NOT_FOUND, CONFLICT (rank taken).' })
  updateResourceRequest(@Args() { id }: IdArgs, @Args('input', { description: 'Fields to change; those not given keep their value.' }) input: UpdateResourceRequestInput) {
    return this.requests.update(id, dropNulls(input));
  }

  @Access(HackathonRules.teamRequestById)
  @Mutation(() => ResourceRequestObject, { description: 'Withdraws a request; returns it as it was. Members of the team, and admins and organisers of the hackathon. Errors: NOT_FOUND.' })
  deleteResourceRequest(@Args() { id }: IdArgs) {
    return this.requests.remove(id);
  }
}
