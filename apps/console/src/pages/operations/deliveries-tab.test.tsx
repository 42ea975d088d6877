import { render, screen, waitFor, within } from '@testing-library/react';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { Client } from 'urql';
import { fromValue } from 'wonka';
import { describe, expect, it } from 'vitest';
import { App as AntApp } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { Provider as GraphqlProvider } from 'urql';
import { changeLanguage, i18n } from '../../i18n/i18n.js';
import { DeliveriesTab } from './deliveries-tab.js';

// antd's tables observe their size; jsdom has no ResizeObserver (nothing is laid out there)
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

/** A client answering the deliveries query with `answer`. */
function answering(answer: { data: unknown }): Client {
  return {
    executeQuery: (operation: { query: DocumentNode }) => {
      const name = (operation.query.definitions.find((item) => item.kind === 'OperationDefinition') as OperationDefinitionNode).name!.value;
      expect(name).toBe('WebhookDeliveries');
      return fromValue({ ...answer, stale: false, hasNext: false });
    },
  } as unknown as Client;
}

const delivery = (id: string, status: string, error: string | null) => ({
  node: { id, deliveryId: `guid-${id}-0000`, event: 'issues', action: 'opened', status, attempts: error ? 6 : 1, error, receivedAt: '2026-11-30T08:00:00.000Z' },
});

function renderTab(client: Client) {
  render(
    <I18nextProvider i18n={i18n}>
      <GraphqlProvider value={client}>
        <AntApp>
          <DeliveriesTab />
        </AntApp>
      </GraphqlProvider>
    </I18nextProvider>,
  );
}

describe('webhook deliveries tab', () => {
  it('lists deliveries with their status and error, offering redeliver for the failed one only', async () => {
    await changeLanguage('en');
    const connection = { totalCount: 2, pageInfo: { endCursor: 'c2', hasNextPage: false }, edges: [delivery('2', 'FAILED', 'value out of range'), delivery('1', 'PROCESSED', null)] };
    renderTab(answering({ data: { webhookDeliveries: connection } }));
    await screen.findByText('2 deliveries');
    const failed = screen.getByText('value out of range').closest('tr')!;
    expect(within(failed).getByText('Failed')).toBeTruthy();
    expect(within(failed).getByRole('button', { name: 'Redeliver' })).toBeTruthy();
    const processed = screen.getAllByText('Processed').map((item) => item.closest('tr')).find(Boolean)!;
    expect(within(processed).queryByRole('button', { name: 'Redeliver' })).toBeNull();
    expect(within(processed).getByText('Done')).toBeTruthy();
  }, 60_000); // antd's tables render slowly in jsdom

  it('says when nothing is stored yet, in Chinese', async () => {
    await changeLanguage('zh-CN');
    renderTab(answering({ data: { webhookDeliveries: { totalCount: 0, pageInfo: { endCursor: null, hasNextPage: false }, edges: [] } } }));
    expect(await screen.findByText(/尚无 webhook 投递/)).toBeTruthy();
  }, 60_000);

  it('reads the list again while a delivery waits for a worker, until it shows the outcome', async () => {
    await changeLanguage('en');
    const page = (status: string) => ({ totalCount: 1, pageInfo: { endCursor: 'c1', hasNextPage: false }, edges: [delivery('1', status, null)] });
    const answers = [page('RECEIVED'), page('RECEIVED'), page('PROCESSED')];
    let reads = 0;
    const client = {
      executeQuery: () => fromValue({ data: { webhookDeliveries: answers[Math.min(reads++, answers.length - 1)] }, stale: false, hasNext: false }),
    } as unknown as Client;
    // the status tag in the row (the filter above the table names every status too)
    const rowShows = (status: string, timeout = 1000) =>
      waitFor(() => expect(screen.getAllByText(status).some((item) => item.closest('tr'))).toBe(true), { timeout });
    renderTab(client);
    await rowShows('Received');
    // read again every WAITING_REFRESH_SECONDS (3 s) while it is RECEIVED, then no more
    await rowShows('Processed', 15_000);
    expect(reads).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(reads).toBe(3);
  }, 60_000);

});
