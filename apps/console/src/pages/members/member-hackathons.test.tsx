import { cleanup, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { changeLanguage, i18n } from '../../i18n/i18n.js';
import { MemberHackathons, type MemberHackathonRow } from './member-hackathons.js';

// antd's tables observe their size; jsdom has no ResizeObserver (nothing is laid out there)
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const FINISHED: MemberHackathonRow = {
  registrationId: 'r1',
  status: 'REGISTERED',
  registeredAt: '2026-02-20T10:00:00.000Z',
  withdrawnAt: null,
  isCaptain: true,
  hackathon: {
    id: 'h1',
    slug: 'summer',
    name: 'Summer Jam',
    status: 'FINISHED',
    ecosystemSlug: 'rwkv',
    startsAt: '2026-03-01T00:00:00.000Z',
    endsAt: '2026-03-03T00:00:00.000Z',
  },
  team: { id: 't1', name: 'Alpha' },
  submission: { id: 's1', title: 'Lantern', repositoryUrl: 'https://github.com/rwkv/lantern', links: [] },
  result: { rank: 1, score: 80, submissions: 2 },
  allocations: [{ resourceId: 'gpu', resourceName: 'A100 hours', resourceKind: 'GPU_HOURS', units: 4 }],
};

const WITHDRAWN: MemberHackathonRow = {
  ...FINISHED,
  registrationId: 'r2',
  status: 'WITHDRAWN',
  withdrawnAt: '2026-04-20T10:00:00.000Z',
  isCaptain: false,
  hackathon: { ...FINISHED.hackathon, id: 'h2', slug: 'spring', name: 'Spring Jam', status: 'REGISTRATION_OPEN' },
  team: null,
  submission: null,
  result: null,
  allocations: [],
};

function renderSection(hackathons: MemberHackathonRow[] | null, error?: CombinedError) {
  render(
    <I18nextProvider i18n={i18n}>
      <MemoryRouter>
        <MemberHackathons hackathons={hackathons} error={error} />
      </MemoryRouter>
    </I18nextProvider>,
  );
}

describe("member page: the member's hackathons", () => {
  it('lists each hackathon with a link to its page, the team, submission, published result and resources; a withdrawal says so', async () => {
    await changeLanguage('en');
    renderSection([WITHDRAWN, FINISHED]);
    expect(screen.getByText('Hackathons (2)')).toBeTruthy();
    const finished = screen.getByRole('link', { name: 'Summer Jam' });
    expect(finished.getAttribute('href')).toBe('/hackathons?ecosystem=rwkv&hackathon=summer');
    const row = finished.closest('tr')!;
    expect(within(row).getByText('Finished')).toBeTruthy();
    expect(within(row).getByText('Registered')).toBeTruthy();
    expect(within(row).getByText('captain')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Lantern' }).getAttribute('href')).toBe('https://github.com/rwkv/lantern');
    expect(within(row).getByText('#1 of 2 · score 80')).toBeTruthy();
    expect(within(row).getByText('A100 hours × 4 (GPU hours)')).toBeTruthy();
    const withdrawn = screen.getByRole('link', { name: 'Spring Jam' }).closest('tr')!;
    expect(within(withdrawn).getByText('Withdrawn')).toBeTruthy();
    expect(within(withdrawn).getByText(/^withdrew /)).toBeTruthy();
    expect(within(withdrawn).getByText('No team')).toBeTruthy();
    expect(within(withdrawn).getByText('Not published yet')).toBeTruthy();
  }, 60_000); // antd's tables render slowly in jsdom

  it('says when the member registered for no hackathon, in Chinese', async () => {
    await changeLanguage('zh-CN');
    renderSection([]);
    expect(screen.getByText(/^没有黑客松报名/)).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  }, 60_000);

  it('explains a refusal, and shows any other failure with the api’s words', async () => {
    await changeLanguage('en');
    const refusal = new CombinedError({
      graphQLErrors: [{ message: 'Member.hackathons needs the member themself', extensions: { code: 'FORBIDDEN' } }],
    });
    renderSection(null, refusal);
    expect(screen.getByText(/^Only the member themself, admins and the organisers/)).toBeTruthy();
    cleanup();
    const failure = new CombinedError({ graphQLErrors: [{ message: 'database went away', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    renderSection(null, failure);
    expect(screen.getByRole('alert').textContent).toContain('database went away');
  }, 60_000);
});
