import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Every page but Sign-in, each loaded on its first visit as its own chunk (with the Ant Design components
 * and libraries only it uses; ECharts in the funnel chart's), so a first load carries the shell (layout,
 * router, GraphQL client, i18n), the page it opens and nothing of the others. Sign-in stays in the
 * entry: it is the signed-out landing page and small.
 */
/** A page loaded on its first visit; `preload()` starts (once) the download of its chunk before it renders. */
export type LazyRoute = ComponentType & { preload: () => Promise<ComponentType> };

function lazyPage(load: () => Promise<ComponentType>): LazyRoute {
  let loading: Promise<ComponentType> | undefined;
  // one download, whether preload() or the first render asks first
  const preload = () => (loading ??= load());
  const Page = lazy(async () => ({ default: await preload() }));
  function LazyPage() {
    const { t } = useTranslation();
    return (
      <Suspense fallback={<Spin description={t('state.loading')}><div style={{ minHeight: 80 }} /></Spin>}>
        <Page />
      </Suspense>
    );
  }
  return Object.assign(LazyPage, { preload });
}

export const EcosystemRoute = lazyPage(async () => (await import('./ecosystem/ecosystem-page.js')).EcosystemPage);
export const MembersRoute = lazyPage(async () => (await import('./members/members-page.js')).MembersPage);
export const HackathonsRoute = lazyPage(async () => (await import('./hackathons/hackathons-page.js')).HackathonsPage);
export const FunnelRoute = lazyPage(async () => (await import('./funnel/funnel-page.js')).FunnelPage);
export const LeaderboardRoute = lazyPage(async () => (await import('./leaderboard/leaderboard-page.js')).LeaderboardPage);
export const HealthRoute = lazyPage(async () => (await import('./health/health-page.js')).HealthPage);
export const DigestsRoute = lazyPage(async () => (await import('./digests/digests-page.js')).DigestsPage);
export const OperationsRoute = lazyPage(async () => (await import('./operations/operations-page.js')).OperationsPage);
export const JudgingRoute = lazyPage(async () => (await import('./judging/judging-page.js')).JudgingPage);
