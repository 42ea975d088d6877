import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { I18nextProvider } from 'react-i18next';
import type { Client } from 'urql';
import { Provider as GraphqlProvider } from 'urql';
import { fromValue } from 'wonka';
import { describe, expect, it, vi } from 'vitest';
import { changeLanguage, i18n } from '../../i18n/i18n.js';
import { EditCriterionModal } from './judging-editors.js';

// antd's inputs observe their size; jsdom has no ResizeObserver (nothing is laid out there)
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const CRITERION = { id: 'c1', name: 'Impact', description: 'Who benefits', weight: 2, scaleMin: 0, scaleMax: 10 };

/** A client that records the variables of each mutation and answers it with the criterion renamed as sent. */
function recordingClient(sent: Array<Record<string, unknown>>): Client {
  return {
    executeMutation: (operation: { variables: Record<string, unknown> }) => {
      sent.push(operation.variables);
      return fromValue({ data: { updateJudgingCriterion: { __typename: 'JudgingCriterion', id: 'c1', name: operation.variables.name ?? CRITERION.name } }, stale: false, hasNext: false });
    },
  } as unknown as Client;
}

function renderModal(sent: Array<Record<string, unknown>>, onSaved: () => void) {
  return render(
    <I18nextProvider i18n={i18n}>
      <GraphqlProvider value={recordingClient(sent)}>
        <AntApp>
          <EditCriterionModal criterion={CRITERION} onClose={() => undefined} onSaved={onSaved} />
        </AntApp>
      </GraphqlProvider>
    </I18nextProvider>,
  );
}

describe('criterion edit form', () => {
  it('refuses a scale whose highest value is not above the lowest before sending, then sends only what changed', async () => {
    await changeLanguage('en');
    const sent: Array<Record<string, unknown>> = [];
    const onSaved = vi.fn();
    renderModal(sent, onSaved);
    const to = await screen.findByLabelText('To');
    fireEvent.change(to, { target: { value: '-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('The highest value must be greater than the lowest (0).');
    expect(sent).toEqual([]);

    fireEvent.change(to, { target: { value: '10' } });
    fireEvent.change(screen.getByLabelText('Weight'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent).toEqual([{ id: 'c1', weight: 3 }]);
  });

  it('says in Chinese that a name is needed', async () => {
    await changeLanguage('zh-CN');
    const sent: Array<Record<string, unknown>> = [];
    renderModal(sent, () => undefined);
    fireEvent.change(await screen.findByLabelText('标准'), { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: /保\s?存/ }));
    await screen.findByText(i18n.t('hackathons.judging.criterionRequired'));
    expect(sent).toEqual([]);
    await changeLanguage('en');
  });
});
