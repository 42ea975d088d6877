import Papa from 'papaparse';
import type { CohortFieldsFragment, FunnelQuery, Stage } from '../../graphql/generated/graphql.js';

/** The funnel's steps as the api answers them (OBSERVER to MAINTAINER). */
export type FunnelStepRow = FunnelQuery['funnel']['steps'][number];
/** One cohort at one N (weeks after first activity), as the api answers it (a row of the cohort table). */
export type CohortRow = CohortFieldsFragment;

/** Every stage a cohort is counted in, in the order of the funnel, LAPSED last. */
export const COHORT_STAGES: Stage[] = ['OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED'];

/** The N values (weeks after first activity) the cohort table offers, and those it starts with. */
export const WEEK_CHOICES = [0, 1, 2, 4, 8, 12, 26, 52];
export const DEFAULT_WEEKS = [0, 4, 12, 26];

/**
 * The entry period of the funnel and cohorts from the days picked (UTC calendar days, `YYYY-MM-DD`):
 * `from` is the first day's first instant, `to` the instant after the last day (exclusive), both UTC;
 * absent bounds stay absent (the api then reads "since the beginning" and "now").
 */
export function periodVariables(days: readonly [string | null, string | null] | null): { from?: string; to?: string } {
  const [first, last] = days ?? [null, null];
  const out: { from?: string; to?: string } = {};
  if (first) out.from = new Date(`${first}T00:00:00.000Z`).toISOString();
  if (last) out.to = new Date(Date.parse(`${last}T00:00:00.000Z`) + 86_400_000).toISOString();
  return out;
}

/** How many members a cohort counts at `stage` (0 when the api lists none). */
export function cohortCount(row: CohortRow, stage: Stage): number {
  return row.stages.find((item) => item.stage === stage)?.count ?? 0;
}

/** Column headings of the exports, in the page's language (keys of the funnel catalog section). */
export interface CsvLabels {
  stage: (stage: Stage) => string;
  heading: (key: string) => string;
}

/**
 * The funnel steps shown, as CSV (papaparse; RFC 4180 quoting): stage, reached, current, conversion to
 * the next stage as a fraction in [0, 1] (empty for none).
 */
export function funnelCsv(steps: readonly FunnelStepRow[], labels: CsvLabels): string {
  return Papa.unparse({
    fields: [labels.heading('stage'), labels.heading('reached'), labels.heading('current'), labels.heading('conversion')],
    data: steps.map((step) => [labels.stage(step.stage), step.reached, step.current, step.conversionToNext ?? '']),
  });
}

/**
 * The cohort table shown, as CSV: the month (YYYY-MM, UTC), N, the cohort's size, those still pending,
 * and the count per stage in {@link COHORT_STAGES} order.
 */
export function cohortCsv(rows: readonly CohortRow[], labels: CsvLabels): string {
  return Papa.unparse({
    fields: [labels.heading('month'), labels.heading('weeks'), labels.heading('size'), labels.heading('pending'), ...COHORT_STAGES.map(labels.stage)],
    data: rows.map((row) => [row.month.slice(0, 7), row.weeks, row.size, row.pending, ...COHORT_STAGES.map((stage) => cohortCount(row, stage))]),
  });
}

/** Saves `text` as a CSV file named `name` in the browser (UTF-8 with a byte order mark, so spreadsheet programs read Chinese). */
export function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
