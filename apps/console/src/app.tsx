import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useMemo } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Provider as GraphqlProvider, type Client } from 'urql';
import { ConsoleLayout } from './components/console-layout.js';
import { createGraphqlClient } from './graphql/client.js';
import { i18n } from './i18n/i18n.js';
import './lib/iso-week-calendar.js';
import { ROUTES } from './routes.js';

/** Where the console is served (Vite's `base`, without the trailing slash): `/console`. */
export const CONSOLE_BASENAME = import.meta.env.BASE_URL.replace(/\/$/, '');

function Localised({ children }: { children: React.ReactNode }) {
  const { i18n: current } = useTranslation();
  const zh = current.language === 'zh-CN';
  return (
    <ConfigProvider locale={zh ? zhCN : enUS}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** The console: i18n, Ant Design's locale, the GraphQL client and the routes of {@link ROUTES}. */
export function ConsoleApp({ client, basename = CONSOLE_BASENAME }: { client?: Client; basename?: string }) {
  const graphql = useMemo(() => client ?? createGraphqlClient(), [client]);
  const router = useMemo(
    () => createBrowserRouter([{ element: <ConsoleLayout />, children: ROUTES.map((route) => ({ path: route.path, element: route.element })) }], { basename }),
    [basename],
  );
  return (
    <I18nextProvider i18n={i18n}>
      <GraphqlProvider value={graphql}>
        <Localised>
          <RouterProvider router={router} />
        </Localised>
      </GraphqlProvider>
    </I18nextProvider>
  );
}
