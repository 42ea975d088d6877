import { App, Button, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { WebhookDeliveriesQuery as DeliveriesData, WebhookDeliveryStatus } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { afterCursor, cursorPagination, FIRST_PAGE, reachableTotal, withEndCursor, type CursorPages } from '../../lib/cursor-pages.js';
import { apiMessage } from '../members/member-detail.js';
import { RedeliverWebhookDeliveryMutation, WebhookDeliveriesQuery } from './operations.operations.js';
import { canRedeliver, DELIVERY_STATUSES, deliveryStatusColor, LIVE, WAITING_REFRESH_SECONDS } from './operations-view.js';

/** Rows per page of the delivery table. */
const PAGE_SIZE = 20;

type DeliveryRow = DeliveriesData['webhookDeliveries']['edges'][number]['node'];
type StatusChoice = WebhookDeliveryStatus | 'ALL';

/**
 * Stored GitHub webhook deliveries, newest first, a page at a time, with a filter by status and
 * "redeliver" (confirmed first) for those still RECEIVED or FAILED. While the page shows a delivery
 * still RECEIVED (a worker has yet to process it), it is read again every
 * {@link WAITING_REFRESH_SECONDS} s, so a redelivered delivery's outcome appears by itself.
 */
export function DeliveriesTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<StatusChoice>('ALL');
  const [pages, setPages] = useState<CursorPages>(FIRST_PAGE);
  const [result, refetch] = useQuery({
    query: WebhookDeliveriesQuery,
    variables: { first: PAGE_SIZE, after: afterCursor(pages), status: status === 'ALL' ? null : status },
    requestPolicy: LIVE,
  });
  const [redeliverState, redeliver] = useMutation(RedeliverWebhookDeliveryMutation);
  const [pending, setPending] = useState<string | null>(null);
  const connection = result.data?.webhookDeliveries;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    if (connection) setPages((state) => withEndCursor(state, connection.pageInfo.endCursor, connection.pageInfo.hasNextPage));
  }, [connection]);

  const waiting = connection?.edges.some((edge) => edge.node.status === 'RECEIVED') ?? false;
  useEffect(() => {
    if (!waiting || result.fetching) return undefined;
    const timer = setTimeout(() => refetch({ requestPolicy: 'network-only' }), WAITING_REFRESH_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [waiting, result.fetching, connection, refetch]);

  async function onRedeliver(row: DeliveryRow) {
    setPending(row.id);
    const answer = await redeliver({ id: row.id });
    setPending(null);
    if (answer.error) return void message.error(t('operations.deliveries.redeliverFailed', { message: apiMessage(answer.error) }));
    const outcome = answer.data?.redeliverWebhookDelivery.outcome;
    void message.success(t(outcome === 'ALREADY_DONE' ? 'operations.deliveries.alreadyDone' : 'operations.deliveries.queued', { id: row.deliveryId }));
    refresh();
  }

  const columns: TableColumnsType<DeliveryRow> = [
    {
      title: t('operations.deliveries.status'),
      key: 'status',
      render: (_, row) => <Tag color={deliveryStatusColor(row.status)}>{t(`operations.deliveryStatus.${row.status}`)}</Tag>,
    },
    { title: t('operations.deliveries.event'), dataIndex: 'event' },
    { title: t('operations.deliveries.action'), dataIndex: 'action', render: (action: string | null) => action ?? '—' },
    { title: t('operations.deliveries.receivedAt'), dataIndex: 'receivedAt', render: (at: string) => formatInstant(at, i18n.language) },
    { title: t('operations.deliveries.attempts'), dataIndex: 'attempts', align: 'right' },
    {
      title: t('operations.deliveries.error'),
      dataIndex: 'error',
      width: '30%',
      render: (error: string | null) =>
        error ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: error }} style={{ maxWidth: 360 }}>
            {error}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: t('operations.deliveries.guid'),
      dataIndex: 'deliveryId',
      render: (guid: string) => (
        <Typography.Text code copyable={{ text: guid }} style={{ fontSize: 12 }}>
          {guid.slice(0, 8)}
        </Typography.Text>
      ),
    },
    {
      title: t('operations.deliveries.redeliver'),
      key: 'redeliver',
      render: (_, row) =>
        canRedeliver(row.status) ? (
          <Popconfirm title={t('operations.deliveries.redeliverConfirm', { id: row.deliveryId })} onConfirm={() => onRedeliver(row)}>
            <Button size="small" loading={redeliverState.fetching && pending === row.id} data-testid={`redeliver-${row.id}`}>
              {t('operations.deliveries.redeliver')}
            </Button>
          </Popconfirm>
        ) : (
          <Typography.Text type="secondary">{t('operations.deliveries.done')}</Typography.Text>
        ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Segmented<StatusChoice>
        value={status}
        options={[
          { value: 'ALL', label: t('operations.deliveries.all') },
          ...DELIVERY_STATUSES.map((value) => ({ value, label: t(`operations.deliveryStatus.${value}`) })),
        ]}
        onChange={(value) => {
          setStatus(value);
          setPages(FIRST_PAGE);
        }}
      />
      {result.error ? (
        <QueryError error={result.error} onRetry={refresh} />
      ) : (
        <QueryState fetching={result.fetching} empty={!connection} emptyText="" onRetry={refresh}>
          {connection && (
            <Table<DeliveryRow>
              data-testid="deliveries-table"
              rowKey="id"
              size="small"
              loading={result.fetching}
              columns={columns}
              dataSource={connection.edges.map((edge) => edge.node)}
              locale={{ emptyText: t(status === 'ALL' ? 'operations.deliveries.none' : 'operations.deliveries.noneWithStatus', { status: status === 'ALL' ? '' : t(`operations.deliveryStatus.${status}`) }) }}
              title={() => t('operations.deliveries.total', { count: connection.totalCount })}
              pagination={cursorPagination(pages, setPages, PAGE_SIZE, reachableTotal(pages, PAGE_SIZE, connection.totalCount))}
            />
          )}
        </QueryState>
      )}
    </Space>
  );
}
