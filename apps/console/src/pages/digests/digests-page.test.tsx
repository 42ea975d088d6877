import { act, render, screen, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { I18nextProvider } from 'react-i18next';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { CombinedError, Provider as GraphqlProvider, type Client } from 'urql';
import { describe, expect, it } from 'vitest';
import { concat, fromValue, never } from 'wonka';
import { changeLanguage, i18n } from '../../i18n/i18n.js';
import { DigestsPage } from './digests-page.js';

// antd's tables and tabs observe their size; jsdom has no ResizeObserver (nothing is laid out there)
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const PAGE_INFO = { endCursor: null, hasNextPage: false };

/** A client answering each operation by its name: data, an Error (a GraphQL error with that message, FORBIDDEN), or never (loading). */
function answeringByName(answers: Record<string, unknown>): Client {
  const name = (query: DocumentNode) => (query.definitions.find((item) => item.kind === 'OperationDefinition') as OperationDefinitionNode).name!.value;
  return {
    executeQuery: (operation: { query: DocumentNode }) => {
      const answer = answers[name(operation.query)];
      if (answer === undefined) return never;
      if (answer instanceof Error) {
        const error = new CombinedError({ graphQLErrors: [{ message: answer.message, extensions: { code: 'FORBIDDEN' } }] });
        // a real client's source stays open: urql clears an error when the source ends
        return concat([fromValue({ error, stale: false, hasNext: false }), never]);
      }
      return fromValue({ data: answer, stale: false, hasNext: false });
    },
  } as unknown as Client;
}

function renderAt(path: string, answers: Record<string, unknown>) {
  const router = createMemoryRouter([{ path: '/digests', element: <DigestsPage /> }, { path: '/members', element: null }], { initialEntries: [path] });
  return render(
    <I18nextProvider i18n={i18n}>
      <GraphqlProvider value={answeringByName(answers)}>
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </GraphqlProvider>
    </I18nextProvider>,
  );
}

const ALICE = { id: '00000000-0000-4000-8000-00000000000a', login: 'alice', displayName: 'Alice', mergedInto: null };
const PREVIEW = {
  member: ALICE.id,
  week: '2026-W40',
  locale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  weekStart: '2026-09-27T16:00:00.000Z',
  weekEnd: '2026-10-04T16:00:00.000Z',
};

describe('Digests page', () => {
  it('asks for a member before previewing, and says when no member has that login', async () => {
    await changeLanguage('en');
    renderAt('/digests?week=2026-W40', {});
    expect(await screen.findByText("Type a member's GitHub login (or member id) to preview their digest for the week.")).toBeTruthy();
    expect((screen.getByTestId('digest-week') as HTMLInputElement).value).toBe('2026-W40');
  });

  it('says it is loading, then that a login is unknown', async () => {
    await changeLanguage('en');
    const { unmount } = renderAt('/digests?member=ghost-x&week=2026-W40', {});
    expect((await screen.findAllByText('Loading…')).length).toBeGreaterThan(0);
    unmount();
    renderAt('/digests?member=ghost-x&week=2026-W40', { MemberLookup: { member: null } });
    expect(await screen.findByText('No member with the login or id “ghost-x”.')).toBeTruthy();
  });

  it('shows the digest’s HTML in a sandboxed frame (srcdoc, no scripts) and its subject', async () => {
    await changeLanguage('zh-CN');
    const html = '<html><body><p>本周你有 3 个提交</p><script>parent.alert(1)</script></body></html>';
    renderAt('/digests?member=alice&week=2026-W40&lang=zh-CN', {
      MemberLookup: { member: ALICE },
      DigestPreview: { digestPreview: { ...PREVIEW, hasDigest: true, emptyReason: null, subject: '你在 RWKV 的第 40 周：3 个提交', html, text: '本周你有 3 个提交' } },
    });
    expect((await screen.findByTestId('digest-subject')).textContent).toBe('你在 RWKV 的第 40 周：3 个提交');
    const frame = screen.getByTestId('digest-html') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe(html);
    expect(screen.getByText('时区')).toBeTruthy();
  });

  it('says why a member gets no digest', async () => {
    await changeLanguage('en');
    renderAt('/digests?member=alice&week=2026-W40&lang=en', {
      MemberLookup: { member: ALICE },
      DigestPreview: { digestPreview: { ...PREVIEW, locale: 'en', hasDigest: false, emptyReason: 'no activity in 2026-W40', subject: null, html: null, text: null } },
    });
    const empty = await screen.findByTestId('digest-empty');
    expect(empty.textContent).toContain('alice gets no digest for 2026-W40.');
    expect(empty.textContent).toContain('no activity in 2026-W40');
    expect(screen.queryByTestId('digest-html')).toBeNull();
  });

  it('shows the api’s error with its code instead of the preview', async () => {
    await changeLanguage('en');
    renderAt('/digests?member=alice&week=2026-W40', { MemberLookup: { member: ALICE }, DigestPreview: new Error('digestSends needs the admin role') });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('digestSends needs the admin role');
    expect(alert.textContent).toContain('FORBIDDEN');
  });

  it('lists ledger rows with their status and the sender’s reason in the page’s language', async () => {
    await changeLanguage('zh-CN');
    const row = (id: string, status: string, reason: string | null) => ({
      id, memberId: ALICE.id, member: ALICE, week: '2026-W40', status, email: null, attempts: 1, reason, lastError: null, smtpReply: null,
      createdAt: '2026-10-05T01:00:00.000Z', updatedAt: '2026-10-05T01:00:00.000Z', sentAt: null,
    });
    renderAt('/digests?tab=ledger&ledgerWeek=2026-W40', { DigestSends: { digestSends: { pageInfo: PAGE_INFO, edges: [{ cursor: 'c1', node: row('1', 'SKIPPED', 'not-opted-in') }] } } });
    const table = await screen.findByTestId('ledger-table');
    expect(within(table).getByText('已跳过')).toBeTruthy();
    expect(within(table).getByText('未订阅（或已退订）')).toBeTruthy();
    expect((screen.getByTestId('ledger-week') as HTMLInputElement).value).toBe('2026-W40');
  });

  it('says when the ledger and the unsubscribes are empty', async () => {
    await changeLanguage('en');
    const { unmount } = renderAt('/digests?tab=ledger', { DigestSends: { digestSends: { pageInfo: PAGE_INFO, edges: [] } } });
    expect(await screen.findByText(/No digest has been sent yet/)).toBeTruthy();
    unmount();
    renderAt('/digests?tab=unsubscribes', { DigestUnsubscribes: { digestUnsubscribes: { totalCount: 0, pageInfo: PAGE_INFO, edges: [] } } });
    expect(await screen.findByText('Nobody has unsubscribed.')).toBeTruthy();
    await act(() => changeLanguage('zh-CN'));
    expect(screen.getByText('没有人退订。')).toBeTruthy();
  });
});
