import { act, render, screen } from '@testing-library/react';
import type { Client } from 'urql';
import { fromValue, never } from 'wonka';
import { describe, expect, it } from 'vitest';
import { ConsoleApp } from '../../app.js';
import { changeLanguage } from '../../i18n/i18n.js';

/** A client that answers every operation with `data` (or never, while loading): the api's answer as the page gets it. */
function answering(data: unknown): Client {
  return { executeQuery: () => (data === undefined ? never : fromValue({ data, stale: false, hasNext: false })) } as unknown as Client;
}

function renderAt(path: string, data: unknown) {
  window.history.pushState({}, '', path);
  return render(<ConsoleApp client={answering(data)} basename="/console" />);
}

describe('sign-in page', () => {
  it('says it is loading while the viewer is on its way', async () => {
    await changeLanguage('en');
    renderAt('/console/', undefined);
    expect((await screen.findAllByText('Loading…')).length).toBeGreaterThan(0);
  });

  it('offers GitHub sign-in, returning to the console, when signed out', async () => {
    await changeLanguage('en');
    renderAt('/console/', { viewer: { kind: 'ANONYMOUS', githubLogin: null, roles: [] } });
    const button = await screen.findByRole('link', { name: /Sign in with GitHub/ });
    expect(button.getAttribute('href')).toBe('/auth/github?return_to=%2Fconsole%2F');
    expect(screen.getByText('Not signed in')).toBeTruthy();
  });

  it('shows the login and the roles once signed in, in English and in Chinese', async () => {
    await changeLanguage('en');
    renderAt('/console/', { viewer: { kind: 'SESSION', githubLogin: 'BlinkDL', roles: ['ADMIN', 'MEMBER'] } });
    expect((await screen.findByTestId('welcome')).textContent).toBe('Welcome, BlinkDL');
    expect(screen.getByTestId('viewer-roles').textContent).toBe('AdminMember');
    await act(() => changeLanguage('zh-CN'));
    expect(screen.getByTestId('welcome').textContent).toBe('欢迎，BlinkDL');
    expect(screen.getByTestId('viewer-roles').textContent).toBe('管理员成员');
    expect(window.localStorage.getItem('cambrian.console.language')).toBe('zh-CN');
  });
});
