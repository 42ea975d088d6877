import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import type { Client } from 'urql';
import { Provider as GraphqlProvider } from 'urql';
import { fromValue, never } from 'wonka';
import { describe, expect, it } from 'vitest';
import { useEcosystemParam } from '../hooks/use-ecosystem-param.js';
import { EcosystemPicker } from './ecosystem-picker.js';

// antd's select list observes its size; jsdom has no ResizeObserver (nothing is laid out there)
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

/** A client answering every query with `data` (undefined: never, as while loading). */
function answering(data: unknown): Client {
  return { executeQuery: () => (data === undefined ? never : fromValue({ data, stale: false, hasNext: false })) } as unknown as Client;
}

const ECOSYSTEMS = {
  ecosystems: [
    { slug: 'rwkv', name: 'RWKV', repositoryCount: 6 },
    { slug: 'tools', name: 'RWKV tools', repositoryCount: 2 },
  ],
};

/** A page's header as the pages use the two: the picker, the chosen slug and the URL's search. */
function Page() {
  const { ecosystems, slug, choose } = useEcosystemParam();
  const location = useLocation();
  return (
    <>
      <EcosystemPicker label="Ecosystem" ecosystems={ecosystems} value={slug} onChange={choose} />
      <output data-testid="slug">{slug ?? 'none'}</output>
      <output data-testid="search">{location.search}</output>
    </>
  );
}

function renderAt(path: string, data: unknown) {
  return render(
    <GraphqlProvider value={answering(data)}>
      <MemoryRouter initialEntries={[path]}>
        <Page />
      </MemoryRouter>
    </GraphqlProvider>,
  );
}

describe('ecosystem picker with the ecosystem kept in the URL', () => {
  it('shows the first ecosystem the api lists when the URL names none', async () => {
    renderAt('/funnel', ECOSYSTEMS);
    expect((await screen.findByTestId('slug')).textContent).toBe('rwkv');
    expect(screen.getByRole('combobox', { name: 'Ecosystem' })).toBeTruthy();
    expect(screen.getByText('RWKV (rwkv)')).toBeTruthy();
  });

  it("shows the URL's ecosystem", async () => {
    renderAt('/funnel?ecosystem=tools', ECOSYSTEMS);
    expect((await screen.findByTestId('slug')).textContent).toBe('tools');
    expect(screen.getByText('RWKV tools (tools)')).toBeTruthy();
  });

  it('puts the chosen ecosystem in the URL, in place of the other parameters', async () => {
    renderAt('/hackathons?ecosystem=rwkv&hackathon=spring', ECOSYSTEMS);
    await act(async () => {
      fireEvent.mouseDown(await screen.findByRole('combobox', { name: 'Ecosystem' }));
    });
    await act(async () => {
      fireEvent.click(await screen.findByTitle('RWKV tools (tools)'));
    });
    expect(screen.getByTestId('slug').textContent).toBe('tools');
    expect(screen.getByTestId('search').textContent).toBe('?ecosystem=tools');
  });

  it('offers no picker and no choice while the list loads or when there is no ecosystem', async () => {
    renderAt('/funnel', undefined);
    expect(screen.getByTestId('slug').textContent).toBe('none');
    expect(screen.queryByRole('combobox')).toBeNull();
    renderAt('/funnel', { ecosystems: [] });
    expect(screen.getAllByTestId('slug').map((item) => item.textContent)).toEqual(['none', 'none']);
    expect(screen.queryByRole('combobox')).toBeNull();
  });
});
