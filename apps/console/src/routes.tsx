import {
  BarChartOutlined,
  ClusterOutlined,
  FormOutlined,
  FunnelPlotOutlined,
  HeartOutlined,
  LoginOutlined,
  MailOutlined,
  TeamOutlined,
  ToolOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { ViewerRole } from './graphql/generated/graphql.js';
import {
  type LazyRoute,
  DigestsRoute,
  EcosystemRoute,
  FunnelRoute,
  HackathonsRoute,
  HealthRoute,
  JudgingRoute,
  LeaderboardRoute,
  MembersRoute,
  OperationsRoute,
} from './pages/lazy-routes.js';
import { SignInPage } from './pages/sign-in/sign-in-page.js';

/**
 * The console's pages: one entry per page gives its path (below `/console/`), its nav label (a key of
 * the message catalogs, `nav.*`), its icon and its component. The router and the side menu are built
 * from this table; a new page is a folder in pages/, a lazy route in pages/lazy-routes.tsx and one entry
 * here (README, "Console").
 */
export interface ConsoleRoute {
  path: string;
  navKey: string;
  icon: ReactNode;
  element: ReactNode;
  /** Shown in the side menu only to a viewer with one of these roles (`viewer.roles`); absent: to everyone. */
  roles?: ViewerRole[];
  /** Starts the download of a page loaded on its first visit (pages/lazy-routes.tsx); absent for Sign-in, in the entry. */
  preload?: LazyRoute['preload'];
}

export const ROUTES: ConsoleRoute[] = [
  { path: '/', navKey: 'nav.signIn', icon: <LoginOutlined />, element: <SignInPage /> },
  { path: '/ecosystem', navKey: 'nav.ecosystem', icon: <ClusterOutlined />, element: <EcosystemRoute />, preload: EcosystemRoute.preload },
  { path: '/members', navKey: 'nav.members', icon: <TeamOutlined />, element: <MembersRoute />, preload: MembersRoute.preload },
  { path: '/funnel', navKey: 'nav.funnel', icon: <FunnelPlotOutlined />, element: <FunnelRoute />, preload: FunnelRoute.preload },
  { path: '/leaderboard', navKey: 'nav.leaderboard', icon: <BarChartOutlined />, element: <LeaderboardRoute />, preload: LeaderboardRoute.preload },
  { path: '/health', navKey: 'nav.health', icon: <HeartOutlined />, element: <HealthRoute />, preload: HealthRoute.preload },
  { path: '/hackathons', navKey: 'nav.hackathons', icon: <TrophyOutlined />, element: <HackathonsRoute />, preload: HackathonsRoute.preload },
  { path: '/judging', navKey: 'judging.nav', icon: <FormOutlined />, element: <JudgingRoute />, preload: JudgingRoute.preload, roles: ['JUDGE'] },
  { path: '/digests', navKey: 'nav.digests', icon: <MailOutlined />, element: <DigestsRoute />, preload: DigestsRoute.preload },
  { path: '/operations', navKey: 'nav.operations', icon: <ToolOutlined />, element: <OperationsRoute />, preload: OperationsRoute.preload },
];

/**
 * Starts the download of the page a first load opens (the route of `pathname`, below `basename`, e.g.
 * `/console/funnel` → Funnel) while the entry still runs, so the page's chunk does not wait for the shell to
 * render. Returns the page's loading (resolving to its component), or null for Sign-in (in the entry) and
 * paths that name no page.
 */
export function preloadRoute(pathname: string, basename: string): Promise<unknown> | null {
  const path = pathname.startsWith(basename) ? pathname.slice(basename.length) || '/' : pathname;
  const route = ROUTES.find((candidate) => candidate.path === path.replace(/(.)\/+$/, '$1'));
  return route?.preload?.() ?? null;
}
