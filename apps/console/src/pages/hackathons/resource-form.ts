import type { CreateResourceInput, ResourceKind, UpdateResourceInput, UpdateResourceRequestInput } from '../../graphql/generated/graphql.js';

/** What the resource form holds (create and edit; kind and mentor are fixed once the resource exists). */
export interface ResourceFormValues {
  name: string;
  kind: ResourceKind;
  sponsor?: string | null;
  /** Units in all, ≥ 0. */
  capacity: number;
  /** Most units one team may receive, ≥ 0. */
  perTeamMax: number;
  eligibilityMinTeamSize?: number | null;
  eligibilitySkills?: string[];
  mentorMemberId?: string;
}

/** A resource as the resources query answers it (what the edit form starts from). */
export interface ResourceFormSource {
  id: string;
  name: string;
  kind: ResourceKind;
  sponsor?: string | null;
  capacity: number;
  perTeamMax: number;
  eligibilityMinTeamSize?: number | null;
  eligibilitySkills: readonly string[];
}

function trimmed(text: string | null | undefined): string | null {
  return text == null || text.trim() === '' ? null : text.trim();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** The createResource input from the form (blank optional fields left out). */
export function toResourceInput(values: ResourceFormValues): CreateResourceInput {
  return {
    name: values.name.trim(),
    kind: values.kind,
    capacity: values.capacity,
    perTeamMax: values.perTeamMax,
    sponsor: trimmed(values.sponsor) ?? undefined,
    eligibilityMinTeamSize: values.eligibilityMinTeamSize ?? undefined,
    eligibilitySkills: values.eligibilitySkills?.length ? values.eligibilitySkills : undefined,
    mentorMemberId: values.kind === 'MENTOR_HOURS' ? values.mentorMemberId?.trim() : undefined,
  };
}

/** The edit form's starting values from a resource. */
export function toResourceFormValues(source: ResourceFormSource): ResourceFormValues {
  return {
    name: source.name,
    kind: source.kind,
    sponsor: source.sponsor ?? '',
    capacity: source.capacity,
    perTeamMax: source.perTeamMax,
    eligibilityMinTeamSize: source.eligibilityMinTeamSize ?? null,
    eligibilitySkills: [...source.eligibilitySkills],
  };
}

/**
 * The updateResource input: only the fields the form changed (absent ones keep their value on the api).
 * A sponsor or minimum team size emptied in the form is sent as null, which the api clears; emptied
 * eligibility skills are sent as [] (the list is replaced). Null when nothing changed.
 */
export function toResourceUpdate(source: ResourceFormSource, values: ResourceFormValues): UpdateResourceInput | null {
  const input: UpdateResourceInput = {};
  const name = values.name.trim();
  if (name !== source.name) input.name = name;
  const sponsor = trimmed(values.sponsor);
  if (sponsor !== (source.sponsor ?? null)) input.sponsor = sponsor;
  if (values.capacity !== source.capacity) input.capacity = values.capacity;
  if (values.perTeamMax !== source.perTeamMax) input.perTeamMax = values.perTeamMax;
  const minTeamSize = values.eligibilityMinTeamSize ?? null;
  if (minTeamSize !== (source.eligibilityMinTeamSize ?? null)) input.eligibilityMinTeamSize = minTeamSize;
  const skills = values.eligibilitySkills ?? [];
  if (!sameList(skills, source.eligibilitySkills)) input.eligibilitySkills = skills;
  return Object.keys(input).length === 0 ? null : input;
}

/** One allocation of the published run (units of a resource to a team). */
export interface PublishedAllocation {
  resourceId: string;
  units: number;
}

/**
 * Units of each resource the published matching run allocated and what is left of its capacity
 * (capacity − allocated; negative when the capacity was lowered below what was published), by resource
 * id. Without a published run nothing is allocated and everything is left.
 */
export function unitsLeft(
  resources: ReadonlyArray<{ id: string; capacity: number }>,
  allocations: readonly PublishedAllocation[] | null | undefined,
): Map<string, { allocated: number; left: number }> {
  const allocated = new Map<string, number>();
  for (const allocation of allocations ?? []) allocated.set(allocation.resourceId, (allocated.get(allocation.resourceId) ?? 0) + allocation.units);
  return new Map(resources.map((resource) => [resource.id, { allocated: allocated.get(resource.id) ?? 0, left: resource.capacity - (allocated.get(resource.id) ?? 0) }]));
}

/** What the request form holds: an organiser changes a team's request on its behalf. */
export interface RequestFormValues {
  /** Preference rank, ≥ 1, unique per team. */
  rank: number;
  /** Units wanted, ≥ 1. */
  amount: number;
  tags?: string[];
}

/** A team's request as the resources query answers it. */
export interface RequestFormSource {
  id: string;
  rank: number;
  amount: number;
  tags: readonly string[];
}

/** The edit form's starting values from a request. */
export function toRequestFormValues(source: RequestFormSource): RequestFormValues {
  return { rank: source.rank, amount: source.amount, tags: [...source.tags] };
}

/**
 * The updateResourceRequest input: only what changed; tags are compared lower-cased (the api stores them
 * so) and replace the old list. Null when nothing changed.
 */
export function toRequestUpdate(source: RequestFormSource, values: RequestFormValues): UpdateResourceRequestInput | null {
  const input: UpdateResourceRequestInput = {};
  if (values.rank !== source.rank) input.rank = values.rank;
  if (values.amount !== source.amount) input.amount = values.amount;
  const tags = (values.tags ?? []).map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== '');
  if (!sameList(tags, source.tags)) input.tags = tags;
  return Object.keys(input).length === 0 ? null : input;
}
