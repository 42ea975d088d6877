import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { AuditEventsQuery as AuditData } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { afterCursor, cursorPagination, FIRST_PAGE, reachableTotal, withEndCursor, type CursorPages } from '../../lib/cursor-pages.js';
import { AuditEventsQuery } from './operations.operations.js';
import { auditStatusColor, LIVE } from './operations-view.js';

/** Rows per page of the audit log. */
const PAGE_SIZE = 20;

type AuditRow = AuditData['auditEvents']['edges'][number]['node'];

/** The audit log: every change made through the api (who, when, what, on what, how it ended), newest first, a page at a time. */
export function AuditTab() {
  const { t, i18n } = useTranslation();
  const [pages, setPages] = useState<CursorPages>(FIRST_PAGE);
  const [result, refetch] = useQuery({ query: AuditEventsQuery, variables: { first: PAGE_SIZE, after: afterCursor(pages) }, requestPolicy: LIVE });
  const connection = result.data?.auditEvents;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    if (connection) setPages((state) => withEndCursor(state, connection.pageInfo.endCursor, connection.pageInfo.hasNextPage));
  }, [connection]);

  const columns: TableColumnsType<AuditRow> = [
    { title: t('operations.audit.occurredAt'), dataIndex: 'occurredAt', render: (at: string) => formatInstant(at, i18n.language) },
    {
      title: t('operations.audit.actor'),
      key: 'actor',
      render: (_, row) => (row.actor ? `${row.actor}${row.actorRole ? ` (${row.actorRole})` : ''}` : t('operations.audit.anonymous')),
    },
    { title: t('operations.audit.operation'), dataIndex: 'operation', render: (operation: string) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{operation}</Typography.Text> },
    { title: t('operations.audit.target'), key: 'target', render: (_, row) => [row.targetType, row.targetId].filter(Boolean).join(' · ') || '—' },
    { title: t('operations.audit.status'), key: 'status', render: (_, row) => <Tag color={auditStatusColor(row.status)}>{t(`operations.auditStatus.${row.status}`)}</Tag> },
    {
      title: t('operations.audit.outcome'),
      dataIndex: 'outcome',
      width: '30%',
      render: (outcome: string) => (
        <Typography.Text ellipsis={{ tooltip: outcome }} style={{ maxWidth: 360 }}>
          {outcome}
        </Typography.Text>
      ),
    },
  ];

  if (result.error) return <QueryError error={result.error} onRetry={refresh} />;
  return (
    <QueryState fetching={result.fetching} empty={!connection} emptyText="" onRetry={refresh}>
      {connection && (
        <Table<AuditRow>
          data-testid="audit-table"
          rowKey="id"
          size="small"
          loading={result.fetching}
          columns={columns}
          dataSource={connection.edges.map((edge) => edge.node)}
          locale={{ emptyText: t('operations.audit.none') }}
          title={() => t('operations.audit.total', { count: connection.totalCount })}
          pagination={cursorPagination(pages, setPages, PAGE_SIZE, reachableTotal(pages, PAGE_SIZE, connection.totalCount))}
        />
      )}
    </QueryState>
  );
}
