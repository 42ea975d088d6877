const DAY_MS = 24 * 60 * 60 * 1000;

/** A half-open range of UTC instants `[since, until)`; `since` null is open. */
export interface InstantRange {
  since: Date | null;
  until: Date;
}

/** A half-open range of UTC calendar days `[from, to)` as `YYYY-MM-DD`; `from` null is open. */
export interface DayRange {
  from: string | null;
  to: string;
}

/**
 * How to count a window `[since, until)` over the daily rollup (`activity_daily`, whole UTC
 * days) without losing precision: the whole days inside it come from the rollup, the partial
 * days at its ends (at most two ranges, each shorter than a day) from the activity table.
 */
export interface WindowSplit {
  /** Whole UTC days inside the window, or null when it holds none. */
  days: DayRange | null;
  /** The parts outside whole days, to read from the activity table (0–2 ranges, disjoint). */
  partial: InstantRange[];
}

const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const ceilDay = (ms: number) => Math.ceil(ms / DAY_MS) * DAY_MS;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Splits `[since, until)` into whole UTC days and the partial days at its ends.
 * Example: `[2025-01-01T12:00Z, 2025-01-04T06:00Z)` → days `[2025-01-02, 2025-01-04)`, partial
 * `[2025-01-01T12:00Z, 2025-01-02T00:00Z)` and `[2025-01-04T00:00Z, 2025-01-04T06:00Z)`.
 * An open `since` makes the day range open too (everything before `until`'s day).
 */
export function splitWindow(since: Date | null, until: Date): WindowSplit {
  const end = until.getTime();
  const lastDayEnd = floorDay(end);
  const firstDayStart = since === null ? null : ceilDay(since.getTime());
  if (firstDayStart !== null && firstDayStart >= lastDayEnd) {
    return { days: null, partial: since!.getTime() < end ? [{ since, until }] : [] };
  }
  const partial: InstantRange[] = [];
  if (since !== null && since.getTime() < firstDayStart!) partial.push({ since, until: new Date(firstDayStart!) });
  if (lastDayEnd < end) partial.push({ since: new Date(lastDayEnd), until });
  return { days: { from: firstDayStart === null ? null : isoDay(firstDayStart), to: isoDay(lastDayEnd) }, partial };
}
