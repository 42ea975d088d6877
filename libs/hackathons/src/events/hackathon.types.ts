import type { HackathonFieldsInput } from './hackathon-input.js';
import type { HackathonStatus } from './hackathon.entity.js';

/** Creation of a hackathon: its fields, the ecosystem (slug) and tracked repositories (`owner/name`). */
export interface CreateHackathonInput extends HackathonFieldsInput {
  /** Slug of the ecosystem the event belongs to. */
  ecosystem: string;
  repositories?: string[] | null;
}

/** A change of a hackathon's fields: absent or null fields keep their value (`clear*` empties optional ones). */
export type UpdateHackathonInput = Partial<Omit<HackathonFieldsInput, 'slug' | 'name'>> & {
  slug?: string | null;
  name?: string | null;
  /** Removes the registration window bounds, the opt-in label or the tracked topic. */
  clearRegistrationWindow?: boolean | null;
  clearOptInLabel?: boolean | null;
  clearTrackedTopic?: boolean | null;
};

/** Filter and page of {@link HackathonService.list}. */
export interface HackathonListArgs {
  /** Ecosystem slug. */
  ecosystem?: string | null;
  status?: HackathonStatus | null;
  first?: number | null;
  after?: string | null;
  /** Leave out drafts (an organiser's unannounced events), e.g. for the public. */
  excludeDrafts?: boolean;
}
