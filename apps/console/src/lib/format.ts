/** Formatting of the api's values for people: UTC instants, ages in seconds, shares. */

/** An instant (ISO 8601, UTC) as a date and time in `language`, in UTC; '—' for null. */
export function formatInstant(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  const text = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));
  return `${text} UTC`;
}

/** Units of {@link formatAge}, largest first, in seconds. */
const AGE_UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/**
 * An age in whole seconds as its two largest units in `language` ("2 days, 3 hours"; "2天3小时"),
 * with Intl.NumberFormat's unit style; '—' for null.
 */
export function formatAge(seconds: number | null | undefined, language: string): string {
  if (seconds === null || seconds === undefined) return '—';
  let rest = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of AGE_UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (unit === 'second' && parts.length === 0)) {
      parts.push(new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(count));
    }
    if (parts.length === 2) break;
  }
  return new Intl.ListFormat(language, { style: 'narrow', type: 'unit' }).format(parts);
}

/** A fraction from 0 to 1 as a percentage in `language`; '—' for null. */
export function formatShare(share: number | null | undefined, language: string): string {
  if (share === null || share === undefined) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}
