/**
 * Contributor Absence Factor (CHAOSS, https://chaoss.community/kb/metric-contributor-absence-factor/,
 * formerly "Bus Factor"): the smallest number of contributors whose contributions together make
 * at least 50% of all contributions. `counts` are contributions per contributor, any order;
 * zeros are ignored. 0 when there are no contributions.
 * @throws RangeError for a negative or non-integer count.
 */
export function contributorAbsenceFactor(counts: readonly number[]): number {
  for (const count of counts) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`contribution counts must be non-negative integers, got ${count}`);
  }
  const sorted = counts.filter((count) => count > 0).sort((a, b) => b - a);
  const total = sorted.reduce((sum, count) => sum + count, 0);
  if (total === 0) return 0;
  let running = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    running += sorted[index];
    if (running * 2 >= total) return index + 1;
  }
  return sorted.length;
}
