import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The Funnel and cohorts, Leaderboards, Community health, Digests and Operations pages, each loaded on its first visit
 * (its own chunk, ECharts in the funnel chart's), so the console's first load does not carry them.
 */
function lazyPage(load: () => Promise<ComponentType>): ComponentType {
  const Page = lazy(async () => ({ default: await load() }));
  return function LazyPage() {
    const { t } = useTranslation();
    return (
      <Suspense fallback={<Spin description={t('state.loading')}><div style={{ minHeight: 80 }} /></Spin>}>
        <Page />
      </Suspense>
    );
  };
}

export const FunnelRoute = lazyPage(async () => (await import('./funnel/funnel-page.js')).FunnelPage);
export const LeaderboardRoute = lazyPage(async () => (await import('./leaderboard/leaderboard-page.js')).LeaderboardPage);
export const HealthRoute = lazyPage(async () => (await import('./health/health-page.js')).HealthPage);
export const DigestsRoute = lazyPage(async () => (await import('./digests/digests-page.js')).DigestsPage);
export const OperationsRoute = lazyPage(async () => (await import('./operations/operations-page.js')).OperationsPage);
