/**
 * Told about members whose identities or activities a merge or an unmerge changed, so that what is
 * derived from a member's activities (stage transitions) is recomputed for them. The stages module
 * provides it: `{ provide: MEMBERS_CHANGED_LISTENER, useExisting: StageService }`.
 */
export interface MembersChangedListener {
  /** Recomputes whatever depends on these members' activities; member ids are UUIDs. */
  recomputeMembers(memberIds: string[]): Promise<unknown>;
}

/** Nest injection token of the optional {@link MembersChangedListener}. */
export const MEMBERS_CHANGED_LISTENER = Symbol('MEMBERS_CHANGED_LISTENER');
