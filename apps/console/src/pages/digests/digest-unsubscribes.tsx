import { Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { DigestUnsubscribesQuery as UnsubscribesData } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { afterCursor, cursorPagination, FIRST_PAGE, reachableTotal, withEndCursor, type CursorPages } from '../../lib/cursor-pages.js';
import { memberName } from '../members/member-ref.js';
import { DigestUnsubscribesQuery } from './digests.operations.js';

/** Rows a page of the list shows. */
const PAGE_SIZE = 20;

type UnsubscribeRow = UnsubscribesData['digestUnsubscribes']['edges'][number]['node'];

/** The unsubscribes tab: members who unsubscribed and have not opted in again, latest first, paged by the api's cursors. */
export function DigestUnsubscribesTab() {
  const { t, i18n } = useTranslation();
  const [pages, setPages] = useState<CursorPages>(FIRST_PAGE);
  // the worker and one-click unsubscribes change this list behind the page: read it again on each visit (cached rows shown meanwhile)
  const [result, refetch] = useQuery({ query: DigestUnsubscribesQuery, variables: { first: PAGE_SIZE, after: afterCursor(pages) }, requestPolicy: 'cache-and-network' });
  const connection = result.data?.digestUnsubscribes;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    if (connection) setPages((state) => withEndCursor(state, connection.pageInfo.endCursor, connection.pageInfo.hasNextPage));
  }, [connection]);

  const columns: TableColumnsType<UnsubscribeRow> = [
    {
      title: t('digests.columns.member'),
      key: 'member',
      render: (_, row) => <Link to={`/members?member=${encodeURIComponent(row.memberId)}`}>{memberName(row.member ?? { id: row.memberId })}</Link>,
    },
    { title: t('digests.columns.email'), dataIndex: 'email' },
    { title: t('digests.unsubscribes.at'), dataIndex: 'unsubscribedAt', render: (at: string) => formatInstant(at, i18n.language) },
    { title: t('digests.preview.language'), dataIndex: 'locale', render: (locale: string | null) => (locale === 'zh-CN' ? '简体中文' : locale === 'en' ? 'English' : t('digests.unsubscribes.defaultLocale')) },
    { title: t('digests.preview.timeZone'), dataIndex: 'timeZone' },
    {
      title: t('digests.unsubscribes.bounced'),
      dataIndex: 'bouncedAt',
      render: (at: string | null) => (at ? <Tag color="red">{formatInstant(at, i18n.language)}</Tag> : '—'),
    },
  ];

  if (result.error) return <QueryError error={result.error} onRetry={refresh} />;
  return (
    <QueryState fetching={result.fetching} empty={!connection} emptyText="" onRetry={refresh}>
      {connection && (
        <Table<UnsubscribeRow>
          data-testid="unsubscribes-table"
          rowKey="memberId"
          size="small"
          loading={result.fetching}
          columns={columns}
          dataSource={connection.edges.map((edge) => edge.node)}
          locale={{ emptyText: t('digests.unsubscribes.none') }}
          title={() => t('digests.unsubscribes.total', { count: connection.totalCount })}
          pagination={cursorPagination(pages, setPages, PAGE_SIZE, reachableTotal(pages, PAGE_SIZE, connection.totalCount))}
        />
      )}
    </QueryState>
  );
}
