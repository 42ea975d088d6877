/**
 * Member merges (libs/members MemberMergeService) move identities and activities to the surviving
 * member and mark the other `merged_into_id`, but leave hackathon rows (registrations, team
 * memberships) under the old member id, so that an unmerge needs no change here. Hackathon reads
 * resolve every member id through `member_root(id)` (migration 1764700000001): the member at the
 * end of the `merged_into_id` chain. A registration or team membership of a merged member is the
 * survivor's; after an unmerge it is the original member's again.
 */
export const MEMBER_ROOT_FUNCTION = 'member_root';

/** SQL for the root of a member id expression, e.g. `memberRootSql('r.member_id')`. */
export function memberRootSql(expression: string): string {
  return `${MEMBER_ROOT_FUNCTION}(${expression})`;
}
