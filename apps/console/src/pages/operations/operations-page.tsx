import { DashboardOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useViewer } from '../../hooks/use-viewer.js';
import { AuditTab } from './audit-tab.js';
import { DeliveriesTab } from './deliveries-tab.js';
import { FailedJobsTab } from './failed-jobs-tab.js';
import { queueDashboardHref } from './operations-view.js';

const TABS = ['deliveries', 'failed-jobs', 'audit'] as const;
type Tab = (typeof TABS)[number];

/**
 * Operations, for admins: the queue dashboard (bull-board, served by the api at /admin/queues/ and opened
 * in a tab of its own, in the console's language), the stored webhook deliveries with "redeliver", the
 * failed background jobs with "retry", and the audit log (`?tab=deliveries|failed-jobs|audit`).
 */
export function OperationsPage() {
  const { t, i18n } = useTranslation();
  const { viewer } = useViewer();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab') as Tab | null;
  const tab: Tab = requested && TABS.includes(requested) ? requested : 'deliveries';
  const admin = viewer?.roles.includes('ADMIN') ?? false;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('operations.title')}
      </Typography.Title>
      {viewer && !admin && <Alert type="warning" showIcon title={t('operations.adminsOnly')} />}
      <Card size="small" title={t('operations.queues.title')}>
        <Space orientation="vertical">
          <Typography.Text type="secondary">{t('operations.queues.description')}</Typography.Text>
          <Button type="primary" icon={<DashboardOutlined />} href={queueDashboardHref(i18n.language)} target="_blank" rel="noopener" data-testid="queue-dashboard-link">
            {t('operations.queues.open')}
          </Button>
        </Space>
      </Card>
      <Tabs
        destroyOnHidden
        activeKey={tab}
        onChange={(key) => setParams(key === 'deliveries' ? {} : { tab: key })}
        items={[
          { key: 'deliveries', label: t('operations.tabs.deliveries'), children: <DeliveriesTab /> },
          { key: 'failed-jobs', label: t('operations.tabs.failedJobs'), children: <FailedJobsTab /> },
          { key: 'audit', label: t('operations.tabs.audit'), children: <AuditTab /> },
        ]}
      />
    </Space>
  );
}
