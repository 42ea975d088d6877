/**
 * One item per key, for a bulk upsert: Postgres refuses an `INSERT … ON CONFLICT DO UPDATE` that
 * would touch the same row twice ("ON CONFLICT DO UPDATE command cannot affect row a second
 * time"), and a page may list an item twice (items shifting while it is served, or a faulty
 * proxy). The last occurrence wins, in the place of the first.
 */
export function lastPerKey<T>(items: readonly T[], keyOf: (item: T) => unknown): T[] {
  const byKey = new Map<unknown, T>();
  for (const item of items) byKey.set(keyOf(item), item);
  return byKey.size === items.length ? [...items] : [...byKey.values()];
}
