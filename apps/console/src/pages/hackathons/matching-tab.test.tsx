import { render, screen, within } from '@testing-library/react';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { Client } from 'urql';
import { fromValue, never } from 'wonka';
import { describe, expect, it } from 'vitest';
import { App as AntApp } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { Provider as GraphqlProvider } from 'urql';
import { changeLanguage, i18n } from '../../i18n/i18n.js';
import { MatchingTab } from './matching-tab.js';

// antd's tables and tabs observe their size; jsdom has no ResizeObserver (nothing is laid out there)
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

/** A client answering each operation by its name (absent: never, as while loading). */
function answeringByName(answers: Record<string, unknown>): Client {
  const name = (query: DocumentNode) => (query.definitions.find((item) => item.kind === 'OperationDefinition') as OperationDefinitionNode).name!.value;
  return {
    executeQuery: (operation: { query: DocumentNode }) => {
      const data = answers[name(operation.query)];
      return data === undefined ? never : fromValue({ data, stale: false, hasNext: false });
    },
  } as unknown as Client;
}

const RUN: { status: string; publishedAt: string | null } & Record<string, unknown> = {
  id: 'r1', status: 'DRAFT', progress: 100, attempts: 1, error: null, createdAt: '2026-02-01T00:00:00.000Z', finishedAt: '2026-02-01T00:00:01.000Z',
  publishedAt: null, parentRunId: null, objective: 12, stats: { teams: 2, resources: 2, candidates: 3, allocations: 2, unitsAllocated: 5, pins: 0, solveMs: 3 },
};

function renderMatching(run: typeof RUN) {
  const client = answeringByName({
        HackathonMatching: { hackathon: { id: 'h1', resources: [{ id: 'gpu', name: 'A100 hours' }, { id: 'data', name: 'Pile subset' }], matchingRuns: [run] } },
        MatchingRunDetail: {
          matchingRun: {
            id: 'r1',
            status: run.status,
            allocations: [{ teamId: 't2', resourceId: 'gpu', units: 2, pinned: false }],
            explanations: [
              {
                teamId: 't2', teamName: 'Bravo', text: 'got 2 of 4 A100 hours (rank 2) because no more was left; not eligible: rank 1 (Pile subset) needs a larger team',
                received: [{ resourceId: 'gpu', rank: 2, units: 2, pinned: false }],
                shortfalls: [
                  { resourceId: 'data', rank: 1, wanted: 0, got: 0, reason: 'TEAM_TOO_SMALL' },
                  { resourceId: 'gpu', rank: 2, wanted: 4, got: 2, reason: 'RESOURCE_FULL' },
                ],
              },
            ],
          },
        },
      });
  render(
    <I18nextProvider i18n={i18n}>
      <GraphqlProvider value={client}>
        <AntApp>
          <MatchingTab slug="spring" />
        </AntApp>
      </GraphqlProvider>
    </I18nextProvider>,
  );
}

describe('hackathon matching tab', () => {
  it("shows a draft per team: what it received, why not more (ineligible apart), the api's words, and Publish", async () => {
    await changeLanguage('en');
    renderMatching(RUN);
    const row = (await screen.findByText('Bravo')).closest('tr')!;
    expect(within(row).getByText('A100 hours × 2 (rank 2)')).toBeTruthy();
    expect(within(row).getByText('Pile subset (rank 1): not eligible')).toBeTruthy();
    expect(within(row).getByText('team too small')).toBeTruthy();
    expect(within(row).getByText('A100 hours (rank 2): 2 of 4')).toBeTruthy();
    expect(within(row).getByText('resource used up')).toBeTruthy();
    expect(screen.getByText(/^got 2 of 4 A100 hours/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Publish/ })).toBeTruthy();
  }, 60_000); // antd's tables render slowly in jsdom

  it('offers neither Publish nor pins for a published run, in Chinese', async () => {
    await changeLanguage('zh-CN');
    renderMatching({ ...RUN, status: 'PUBLISHED', publishedAt: '2026-02-02T00:00:00.000Z' });
    await screen.findByText('Bravo');
    expect(screen.getByText('队伍人数不足')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /发\s?布/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /固\s?定/ })).toBeNull();
  }, 60_000);
});
