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

/** A range of whole UTC days counted with a sign: +1 adds its activities, −1 takes them away. */
export interface SignedDayRange {
  from: string;
  to: string;
  sign: 1 | -1;
}

/** A bounded window as whole UTC months, signed whole days and the partial days at its ends. */
export interface MonthWindowSplit {
  /** Whole UTC months (`YYYY-MM-01`) to add, from a monthly rollup. */
  months: string[];
  /** Whole UTC days to add or take away, from the daily rollup (disjoint per sign). */
  days: SignedDayRange[];
  partial: InstantRange[];
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
/** The first day of the month after `day`'s (`YYYY-MM-DD` → `YYYY-MM-01`), without parsing a date string (hot in every leaderboard). */
const nextMonth = (day: string) => new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 1)).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/**
 * Splits a bounded window `[since, until)` so that each member costs a few rows: the whole days in
 * each UTC month it touches are read either as days, or — when that is fewer days — as the whole
 * month minus the month's other days. The partial days at its ends stay partial. Example:
 * `[2025-10-30T10:00Z, 2025-11-29T10:00Z)` → month 2025-11-01 minus days `[2025-11-29, 2025-12-01)`,
 * days `[2025-10-31, 2025-11-01)`, partial `[2025-10-30T10:00Z, 2025-10-31)` and `[2025-11-29, 2025-11-29T10:00Z)`.
 */
export function splitWindowByMonths(since: Date, until: Date): MonthWindowSplit {
  const split = splitWindow(since, until);
  const result: MonthWindowSplit = { months: [], days: [], partial: split.partial };
  if (!split.days) return result;
  const { from, to } = split.days as { from: string; to: string };
  for (let month = monthStart(from); month < to; month = nextMonth(month)) {
    const end = nextMonth(month);
    const inFrom = from > month ? from : month;
    const inTo = to < end ? to : end;
    const inside = daysBetween(inFrom, inTo);
    if (inside * 2 <= daysBetween(month, end)) {
      result.days.push({ from: inFrom, to: inTo, sign: 1 });
      continue;
    }
    result.months.push(month);
    if (month < inFrom) result.days.push({ from: month, to: inFrom, sign: -1 });
    if (inTo < end) result.days.push({ from: inTo, to: end, sign: -1 });
  }
  return result;
}

/** The UTC months (`YYYY-MM-01`) that overlap a non-empty window `[since, until)`, in order. */
export function monthsOverlapping(since: Date, until: Date): string[] {
  const last = monthStart(new Date(until.getTime() - 1).toISOString().slice(0, 10));
  const months: string[] = [];
  for (let month = monthStart(since.toISOString().slice(0, 10)); month <= last; month = nextMonth(month)) months.push(month);
  return months;
}
