// @vitest-environment node
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { cohortCsv, funnelCsv, periodVariables, type CohortRow, type CsvLabels, type FunnelStepRow } from './funnel-data.js';

const LABELS: CsvLabels = { stage: (stage) => `«${stage}», "quoted"`, heading: (key) => key };

describe('funnel page data: the entry period and the CSV exports', () => {
  it('turns the UTC days picked into [from, to) instants, the last day included', () => {
    expect(periodVariables(['2025-04-01', '2025-04-30'])).toEqual({ from: '2025-04-01T00:00:00.000Z', to: '2025-05-01T00:00:00.000Z' });
    expect(periodVariables([null, '2025-12-31'])).toEqual({ to: '2026-01-01T00:00:00.000Z' });
    expect(periodVariables(null)).toEqual({});
  });

  it('exports the funnel steps shown, quoting labels with commas and quotes so the CSV reads back the same', () => {
    const steps: FunnelStepRow[] = [
      { stage: 'OBSERVER', reached: 4, current: 1, conversionToNext: 0.75 },
      { stage: 'MAINTAINER', reached: 0, current: 0, conversionToNext: null },
    ];
    const parsed = Papa.parse<string[]>(funnelCsv(steps, LABELS)).data;
    expect(parsed).toEqual([
      ['stage', 'reached', 'current', 'conversion'],
      ['«OBSERVER», "quoted"', '4', '1', '0.75'],
      ['«MAINTAINER», "quoted"', '0', '0', ''],
    ]);
  });

  it('exports the cohort rows with a count for every stage, 0 where the api lists none', () => {
    const rows: CohortRow[] = [
      { month: '2025-04-01T00:00:00.000Z', weeks: 4, size: 3, pending: 1, stages: [{ stage: 'USER', count: 2 }] },
    ];
    const [header, row] = Papa.parse<string[]>(cohortCsv(rows, { stage: (stage) => stage, heading: (key) => key })).data;
    expect(header).toEqual(['month', 'weeks', 'size', 'pending', 'OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED']);
    expect(row).toEqual(['2025-04', '4', '3', '1', '0', '2', '0', '0', '0', '0']);
  });
});
