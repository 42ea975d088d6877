import {
  BarChartOutlined,
  ClusterOutlined,
  FunnelPlotOutlined,
  HeartOutlined,
  LoginOutlined,
  MailOutlined,
  TeamOutlined,
  ToolOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import {
  DigestsRoute,
  EcosystemRoute,
  FunnelRoute,
  HackathonsRoute,
  HealthRoute,
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
}

export const ROUTES: ConsoleRoute[] = [
  { path: '/', navKey: 'nav.signIn', icon: <LoginOutlined />, element: <SignInPage /> },
  { path: '/ecosystem', navKey: 'nav.ecosystem', icon: <ClusterOutlined />, element: <EcosystemRoute /> },
  { path: '/members', navKey: 'nav.members', icon: <TeamOutlined />, element: <MembersRoute /> },
  { path: '/funnel', navKey: 'nav.funnel', icon: <FunnelPlotOutlined />, element: <FunnelRoute /> },
  { path: '/leaderboard', navKey: 'nav.leaderboard', icon: <BarChartOutlined />, element: <LeaderboardRoute /> },
  { path: '/health', navKey: 'nav.health', icon: <HeartOutlined />, element: <HealthRoute /> },
  { path: '/hackathons', navKey: 'nav.hackathons', icon: <TrophyOutlined />, element: <HackathonsRoute /> },
  { path: '/digests', navKey: 'nav.digests', icon: <MailOutlined />, element: <DigestsRoute /> },
  { path: '/operations', navKey: 'nav.operations', icon: <ToolOutlined />, element: <OperationsRoute /> },
];
