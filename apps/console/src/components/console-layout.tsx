import { App, Button, Flex, Layout, Menu, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useViewer } from '../hooks/use-viewer.js';
import { changeLanguage, LANGUAGES, type Language } from '../i18n/i18n.js';
import { signOut } from '../lib/sign-out.js';
import { ROUTES } from '../routes.js';

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

/** The console's frame: side menu from the routing table, header with the language switch and who is signed in. */
export function ConsoleLayout() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const { viewer, refetch } = useViewer();
  const signedIn = viewer?.kind === 'SESSION';

  async function onSignOut() {
    try {
      await signOut();
      refetch({ requestPolicy: 'network-only' });
      void navigate('/');
    } catch (error) {
      void message.error(t('viewer.signOutFailed', { message: (error as Error).message }));
    }
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200} style={{ borderRight: '1px solid #f0f0f0' }}>
        <Typography.Title level={5} style={{ padding: '16px 24px', margin: 0 }}>
          {t('app.title')}
        </Typography.Title>
        <Menu
          mode="inline"
          selectedKeys={[location.pathname]}
          items={ROUTES.filter((route) => !route.roles || route.roles.some((role) => viewer?.roles.includes(role))).map((route) => ({ key: route.path, icon: route.icon, label: t(route.navKey) }))}
          onClick={({ key }) => void navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', borderBottom: '1px solid #f0f0f0' }}>
          <Flex justify="flex-end" align="center" gap={16} style={{ height: '100%' }}>
            {signedIn ? (
              <Space>
                <span data-testid="viewer-login">{t('viewer.signedInAs', { login: viewer.githubLogin })}</span>
                {viewer.roles.map((role) => (
                  <Tag key={role} color={role === 'ADMIN' ? 'red' : 'blue'}>
                    {t(`viewer.role.${role}`)}
                  </Tag>
                ))}
                <Button size="small" onClick={() => void onSignOut()}>
                  {t('viewer.signOut')}
                </Button>
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('viewer.anonymous')}</Typography.Text>
            )}
            <Select<Language>
              aria-label={t('app.language')}
              data-testid="language-switch"
              value={i18n.language as Language}
              style={{ width: 120 }}
              options={LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }))}
              onChange={(language) => void changeLanguage(language)}
            />
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
