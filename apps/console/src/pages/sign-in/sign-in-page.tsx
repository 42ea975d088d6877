import { GithubOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryState } from '../../components/query-state.js';
import { useViewer } from '../../hooks/use-viewer.js';
import { signInUrl } from '../../lib/sign-out.js';

/** Sign-in: the GitHub button while signed out; once signed in, the login and roles (`viewer`). */
export function SignInPage() {
  const { t } = useTranslation();
  const { viewer, fetching, error, refetch } = useViewer();
  return (
    <Card title={t('signIn.title')} style={{ maxWidth: 640 }}>
      <QueryState fetching={fetching} error={error} empty={!viewer} emptyText={t('state.loading')} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        {viewer?.kind === 'SESSION' ? (
          <Space orientation="vertical" size="middle">
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="welcome">
              {t('signIn.welcome', { login: viewer.githubLogin })}
            </Typography.Title>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('viewer.roles')}>
                <Space size={4} data-testid="viewer-roles">
                  {viewer.roles.length === 0
                    ? t('viewer.noRoles')
                    : viewer.roles.map((role) => (
                        <Tag key={role} color={role === 'ADMIN' ? 'red' : 'blue'}>
                          {t(`viewer.role.${role}`)}
                        </Tag>
                      ))}
                </Space>
              </Descriptions.Item>
            </Descriptions>
            <Typography.Text type="secondary">
              {t('signIn.authenticatedBy', { kind: t(`viewer.kind.${viewer.kind}`) })} {t('signIn.rolesHint')}
            </Typography.Text>
            <Link to="/ecosystem">{t('signIn.toEcosystem')}</Link>
          </Space>
        ) : (
          <Space orientation="vertical" size="middle">
            <Typography.Paragraph style={{ margin: 0 }}>{t('signIn.intro')}</Typography.Paragraph>
            <Button type="primary" size="large" icon={<GithubOutlined />} href={signInUrl()}>
              {t('signIn.button')}
            </Button>
          </Space>
        )}
      </QueryState>
    </Card>
  );
}
