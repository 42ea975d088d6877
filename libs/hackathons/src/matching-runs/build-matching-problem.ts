import { createHash } from 'node:crypto';
import type { MatchingCandidate, MatchingPin, MatchingProblem } from '../matching/matching-problem.js';
import type { ResourceKind } from '../resources/resource.types.js';

/** A team as the problem builder sees it: its size and the skills its members registered. */
export interface TeamInput {
  id: string;
  size: number;
  /** Union of the registered skills of its members (lower-case). */
  skills: string[];
}

export interface ResourceInput {
  id: string;
  kind: ResourceKind;
  capacity: number;
  perTeamMax: number;
  tags: string[];
  eligibilityMinTeamSize: number | null;
  eligibilitySkills: string[];
}

export interface RequestInput {
  teamId: string;
  resourceId: string | null;
  kind: ResourceKind | null;
  amount: number;
  rank: number;
  tags: string[];
}

/** Why a requested resource was not offered to a team at all. */
export type IneligibleReason = 'team_too_small' | 'skills_missing';

export interface IneligibleCandidate {
  teamId: string;
  resourceId: string;
  rank: number;
  reason: IneligibleReason;
}

export interface BuiltMatchingProblem {
  problem: MatchingProblem;
  /** Requested (team, resource) pairs left out because the team is not eligible. */
  ineligible: IneligibleCandidate[];
}

/** Why `team` may not receive `resource`, or null when it may (eligibility: migration 1764700000030). */
export function ineligibility(team: TeamInput, resource: ResourceInput): IneligibleReason | null {
  if (resource.eligibilityMinTeamSize !== null && team.size < resource.eligibilityMinTeamSize) return 'team_too_small';
  if (resource.eligibilitySkills.length > 0) {
    const skills = new Set(team.skills.map((skill) => skill.toLowerCase()));
    if (!resource.eligibilitySkills.some((skill) => skills.has(skill.toLowerCase()))) return 'skills_missing';
  }
  return null;
}

/** Number of distinct tags (case-insensitive) the two lists share. */
export function tagOverlap(a: string[], b: string[]): number {
  const left = new Set(a.map((tag) => tag.toLowerCase()));
  let shared = 0;
  for (const tag of new Set(b.map((value) => value.toLowerCase()))) if (left.has(tag)) shared++;
  return shared;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byPair = (a: { teamId: string; resourceId: string }, b: { teamId: string; resourceId: string }) =>
  a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0;

/**
 * Builds the solver's input from a hackathon's teams, resources, requests and pins.
 *
 * Candidates are requests × eligible resources: a request naming a resource gives one candidate;
 * a request naming a kind gives one per resource of that kind, each up to `amount` units (the
 * solver has no cap across resources, so name a resource to bound the total exactly). Where
 * several requests of a team reach the same resource, the best (lowest) rank wins with its
 * amount and tags. `tagOverlap` counts the request's tags the resource also has. A pin on a pair
 * the team did not request (or not eligibly) becomes a candidate ranked after the team's own
 * requests; a pin above a request's amount raises it. Teams enter the problem when they have a
 * candidate or a pin. Everything is sorted by id, so the same
 * rows always give the same problem (and {@link matchingInputHash}) whatever order they came in.
 */
export function buildMatchingProblem(input: {
  teams: TeamInput[];
  resources: ResourceInput[];
  requests: RequestInput[];
  pins: MatchingPin[];
}): BuiltMatchingProblem {
  const teams = new Map(input.teams.map((team) => [team.id, team]));
  const resources = new Map(input.resources.map((resource) => [resource.id, resource]));
  const resourcesByKind = new Map<ResourceKind, ResourceInput[]>();
  for (const resource of input.resources) resourcesByKind.set(resource.kind, [...(resourcesByKind.get(resource.kind) ?? []), resource]);

  const candidates = new Map<string, MatchingCandidate>();
  const ineligible = new Map<string, IneligibleCandidate>();
  const requests = [...input.requests].sort((a, b) => a.rank - b.rank || (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  for (const request of requests) {
    const team = teams.get(request.teamId);
    if (!team) continue;
    const targets = request.resourceId ? [resources.get(request.resourceId)].filter((r): r is ResourceInput => Boolean(r)) : (resourcesByKind.get(request.kind!) ?? []);
    for (const resource of targets) {
      const key = `${team.id}/${resource.id}`;
      if (candidates.has(key) || ineligible.has(key)) continue; // a better rank already took this pair
      const reason = ineligibility(team, resource);
      if (reason) {
        ineligible.set(key, { teamId: team.id, resourceId: resource.id, rank: request.rank, reason });
        continue;
      }
      candidates.set(key, { teamId: team.id, resourceId: resource.id, maxUnits: request.amount, rank: request.rank, tagOverlap: tagOverlap(request.tags, resource.tags) });
    }
  }

  const pins = input.pins.filter((pin) => teams.has(pin.teamId) && resources.has(pin.resourceId)).map((pin) => ({ ...pin })).sort(byPair);
  // an organiser may pin what a team did not ask for: the pair joins the candidates, after the
  // team's own ranks; a pin above the requested amount raises the amount to the pin
  for (const pin of pins) {
    const key = `${pin.teamId}/${pin.resourceId}`;
    const candidate = candidates.get(key);
    if (candidate) {
      candidate.maxUnits = Math.max(candidate.maxUnits, pin.units);
      continue;
    }
    const worstRank = Math.max(0, ...requests.filter((r) => r.teamId === pin.teamId).map((r) => r.rank));
    candidates.set(key, { teamId: pin.teamId, resourceId: pin.resourceId, maxUnits: Math.max(1, pin.units), rank: worstRank + 1, tagOverlap: 0 });
  }
  const teamIds = new Set([...[...candidates.values()].map((c) => c.teamId), ...pins.map((pin) => pin.teamId)]);
  return {
    problem: {
      teams: [...teamIds].sort().map((id) => ({ id })),
      resources: input.resources.map((r) => ({ id: r.id, capacity: r.capacity, perTeamMax: r.perTeamMax })).sort(byId),
      candidates: [...candidates.values()].sort(byPair),
      pins,
    },
    ineligible: [...ineligible.values()].sort(byPair),
  };
}

/** SHA-256 (hex) of the problem's canonical JSON: equal inputs, equal hashes. */
export function matchingInputHash(problem: MatchingProblem): string {
  return createHash('sha256').update(JSON.stringify(problem)).digest('hex');
}
