import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { FailedJobsQuery as FailedJobsData } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { apiMessage } from '../members/member-detail.js';
import { FailedJobsQuery, RetryFailedJobMutation } from './operations.operations.js';
import { FAILED_JOBS_STEP, LIVE, MAX_FAILED_JOBS, nextFailedJobsLimit } from './operations-view.js';

type FailedJobRow = FailedJobsData['failedJobs'][number];

/**
 * Background jobs that failed all their attempts, most recent first, with "retry" (confirmed first). The api
 * lists them newest first up to a limit (no cursor), so the table asks for {@link FAILED_JOBS_STEP} and
 * "show more" asks for a step more, up to {@link MAX_FAILED_JOBS}: every row asked for is shown.
 */
export function FailedJobsTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [limit, setLimit] = useState(FAILED_JOBS_STEP);
  const [result, refetch] = useQuery({ query: FailedJobsQuery, variables: { first: limit }, requestPolicy: LIVE });
  const [retryState, retry] = useMutation(RetryFailedJobMutation);
  const [pending, setPending] = useState<string | null>(null);
  const jobs = result.data?.failedJobs;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  async function onRetry(row: FailedJobRow) {
    setPending(`${row.queue}/${row.jobId}`);
    const answer = await retry({ queue: row.queue, jobId: row.jobId });
    setPending(null);
    if (answer.error) return void message.error(t('operations.failedJobs.retryFailed', { message: apiMessage(answer.error) }));
    void message.success(t('operations.failedJobs.retried', { id: row.jobId }));
    refresh();
  }

  const columns: TableColumnsType<FailedJobRow> = [
    { title: t('operations.failedJobs.failedAt'), dataIndex: 'failedAt', render: (at: string) => formatInstant(at, i18n.language) },
    { title: t('operations.failedJobs.queue'), dataIndex: 'queue', render: (queue: string) => <Tag>{queue.toLowerCase().replace('_', '-')}</Tag> },
    { title: t('operations.failedJobs.name'), dataIndex: 'name' },
    {
      title: t('operations.failedJobs.job'),
      key: 'job',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text code style={{ fontSize: 12 }}>
            {row.jobId}
          </Typography.Text>
          {row.deliveryId && <Typography.Text type="secondary">{t('operations.failedJobs.delivery', { id: row.deliveryId })}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('operations.failedJobs.attempts'), key: 'attempts', align: 'right', render: (_, row) => `${row.attempts} / ${row.maxAttempts}` },
    {
      title: t('operations.failedJobs.error'),
      dataIndex: 'error',
      width: '30%',
      render: (error: string) => (
        <Typography.Text type="danger" ellipsis={{ tooltip: error }} style={{ maxWidth: 360 }}>
          {error || '—'}
        </Typography.Text>
      ),
    },
    {
      title: t('operations.failedJobs.retry'),
      key: 'retry',
      render: (_, row) => (
        <Popconfirm title={t('operations.failedJobs.retryConfirm', { id: row.jobId })} onConfirm={() => onRetry(row)}>
          <Button size="small" loading={retryState.fetching && pending === `${row.queue}/${row.jobId}`}>
            {t('operations.failedJobs.retry')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  if (result.error) return <QueryError error={result.error} onRetry={refresh} />;
  return (
    <QueryState fetching={result.fetching} empty={!jobs} emptyText="" onRetry={refresh}>
      {jobs && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Table<FailedJobRow>
            data-testid="failed-jobs-table"
            rowKey={(row) => `${row.queue}/${row.jobId}`}
            size="small"
            loading={result.fetching}
            columns={columns}
            dataSource={jobs}
            locale={{ emptyText: t('operations.failedJobs.none') }}
            title={() => t('operations.failedJobs.shown', { count: jobs.length })}
            pagination={false}
          />
          {jobs.length === limit && limit < MAX_FAILED_JOBS && (
            <Button onClick={() => setLimit((current) => nextFailedJobsLimit(current, jobs.length))}>{t('operations.failedJobs.more')}</Button>
          )}
          {jobs.length === MAX_FAILED_JOBS && <Typography.Text type="secondary">{t('operations.failedJobs.limit', { count: MAX_FAILED_JOBS })}</Typography.Text>}
        </Space>
      )}
    </QueryState>
  );
}
