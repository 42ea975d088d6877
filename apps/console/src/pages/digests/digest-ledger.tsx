import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Flex, Form, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { DigestSendStatus, DigestSendsQuery as DigestSendsData } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { afterCursor, cursorPagination, FIRST_PAGE, openEndedTotal, withEndCursor, type CursorPages } from '../../lib/cursor-pages.js';
import { apiMessage } from '../members/member-detail.js';
import { memberName } from '../members/member-ref.js';
import { DigestSendsQuery, StartDigestRunMutation } from './digests.operations.js';
import { isoWeekOfDay, mondayOfIsoWeek } from './iso-week.js';
import { skipReason } from './skip-reason.js';

/** Ledger rows a page shows. */
export const LEDGER_PAGE_SIZE = 20;

/** The ledger's statuses, in the order a digest goes through them, with their tag colours. */
export const SEND_STATUS_COLOR: Record<DigestSendStatus, string> = {
  PENDING: 'default',
  SENDING: 'processing',
  SENT: 'green',
  EMPTY: 'default',
  SKIPPED: 'gold',
  BOUNCED: 'red',
  FAILED: 'red',
  UNCERTAIN: 'orange',
};

type LedgerRow = DigestSendsData['digestSends']['edges'][number]['node'];

/**
 * The send ledger tab: one row per member and ISO week, newest first, filtered by week and status and
 * paged by the api's cursors; for a chosen week, "Send this week's digests" starts its run
 * (`startDigestRun`, which refuses a week that has not ended everywhere).
 */
export function DigestLedgerTab({ week, onWeek }: { week: string | null; onWeek: (week: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<DigestSendStatus | null>(null);
  const [pages, setPages] = useState<CursorPages>(FIRST_PAGE);
  // the worker and one-click unsubscribes change this list behind the page: read it again on each visit (cached rows shown meanwhile)
  const [result, refetch] = useQuery({ query: DigestSendsQuery, variables: { first: LEDGER_PAGE_SIZE, after: afterCursor(pages), week, status }, requestPolicy: 'cache-and-network' });
  const [runState, startRun] = useMutation(StartDigestRunMutation);
  const connection = result.data?.digestSends;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    if (connection) setPages((state) => withEndCursor(state, connection.pageInfo.endCursor, connection.pageInfo.hasNextPage));
  }, [connection]);

  async function run(chosen: string) {
    const answer = await startRun({ week: chosen });
    if (answer.error) return void message.error(t('digests.ledger.runFailed', { message: apiMessage(answer.error) }));
    void message.success(t('digests.ledger.runStarted', { week: chosen, count: answer.data?.startDigestRun.members ?? 0 }));
    setPages(FIRST_PAGE);
    refresh();
  }

  const columns: TableColumnsType<LedgerRow> = [
    {
      title: t('digests.columns.member'),
      key: 'member',
      render: (_, row) => <Link to={`/members?member=${encodeURIComponent(row.memberId)}`}>{memberName(row.member ?? { id: row.memberId })}</Link>,
    },
    { title: t('digests.week'), dataIndex: 'week', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    { title: t('digests.columns.status'), key: 'status', onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_, row) => <Tag color={SEND_STATUS_COLOR[row.status]}>{t(`digests.status.${row.status}`)}</Tag> },
    { title: t('digests.columns.email'), dataIndex: 'email', render: (email: string | null) => email ?? '—' },
    { title: t('digests.columns.attempts'), dataIndex: 'attempts', align: 'right' },
    {
      title: t('digests.columns.when'),
      key: 'when',
      render: (_, row) => formatInstant(row.sentAt ?? row.updatedAt, i18n.language),
    },
    {
      title: t('digests.columns.detail'),
      key: 'detail',
      render: (_, row) => {
        const lines = [row.reason && skipReason(row.reason, t), row.lastError, row.status !== 'SENT' ? null : row.smtpReply].filter(Boolean);
        return lines.length ? (
          <Space orientation="vertical" size={0}>
            {lines.map((line) => (
              <Typography.Text key={line} type="secondary" style={{ fontSize: 12 }}>
                {line}
              </Typography.Text>
            ))}
          </Space>
        ) : (
          '—'
        );
      },
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Flex gap={16} wrap align="center" justify="space-between">
          <Form layout="inline" style={{ rowGap: 8 }}>
            <Form.Item label={t('digests.week')}>
              <DatePicker
                data-testid="ledger-week"
                picker="week"
                placeholder={t('digests.ledger.anyWeek')}
                value={mondayOfIsoWeek(week)}
                format={(value) => isoWeekOfDay(value)}
                onChange={(value) => {
                  onWeek(value ? isoWeekOfDay(value) : null);
                  setPages(FIRST_PAGE);
                }}
              />
            </Form.Item>
            <Form.Item label={t('digests.columns.status')}>
              <Select<DigestSendStatus>
                data-testid="ledger-status"
                allowClear
                placeholder={t('digests.ledger.anyStatus')}
                style={{ width: 180 }}
                value={status ?? undefined}
                options={(Object.keys(SEND_STATUS_COLOR) as DigestSendStatus[]).map((value) => ({ value, label: t(`digests.status.${value}`) }))}
                onChange={(value) => {
                  setStatus(value ?? null);
                  setPages(FIRST_PAGE);
                }}
              />
            </Form.Item>
          </Form>
          <Space>
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              {t('digests.ledger.refresh')}
            </Button>
            <Popconfirm title={t('digests.ledger.runConfirm', { week })} disabled={!week} onConfirm={() => week && run(week)}>
              <Button type="primary" icon={<SendOutlined />} disabled={!week} loading={runState.fetching} title={week ? undefined : t('digests.ledger.runNeedsWeek')}>
                {t('digests.ledger.run')}
              </Button>
            </Popconfirm>
          </Space>
        </Flex>
      </Card>
      {result.error ? (
        <QueryError error={result.error} onRetry={refresh} />
      ) : (
        <QueryState fetching={result.fetching} empty={!connection} emptyText="" onRetry={refresh}>
          {connection && (
            <Table<LedgerRow>
              data-testid="ledger-table"
              rowKey="id"
              size="small"
              loading={result.fetching}
              columns={columns}
              dataSource={connection.edges.map((edge) => edge.node)}
              locale={{ emptyText: week || status ? t('digests.ledger.noneFiltered') : t('digests.ledger.none') }}
              pagination={cursorPagination(pages, setPages, LEDGER_PAGE_SIZE, openEndedTotal(pages, LEDGER_PAGE_SIZE, connection.edges.length, connection.pageInfo.hasNextPage))}
            />
          )}
        </QueryState>
      )}
    </Flex>
  );
}
