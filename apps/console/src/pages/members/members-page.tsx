import { Button, Card, Checkbox, DatePicker, Drawer, Flex, Form, Input, Popconfirm, Segmented, Select, Space, Table, Tabs, Tag, Typography, App } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { OrganizationSelect } from '../../components/organization-select.js';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { ActivityType, MemberFilter, MemberKind, Stage, MembersQuery as MembersData, MergeSuggestionStatus, MergeSuggestionsQuery as SuggestionsData } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { afterCursor, cursorPagination, FIRST_PAGE, reachableTotal, withEndCursor, type CursorPages } from '../../lib/cursor-pages.js';
import { apiMessage, MemberDetail, stageColor } from './member-detail.js';
import { evidenceLines, memberName } from './member-ref.js';
import { utcDayStart } from './utc-day.js';
import { EcosystemsQuery } from '../ecosystem/ecosystem.operations.js';
import { AcceptMergeSuggestionMutation, MembersQuery, MergeSuggestionsQuery, RejectMergeSuggestionMutation } from './members.operations.js';

/** Rows per page of the member and suggestion tables. */
const PAGE_SIZE = 20;

export const ACTIVITY_TYPES: ActivityType[] = [
  'COMMIT',
  'PULL_REQUEST_OPENED',
  'PULL_REQUEST_MERGED',
  'PULL_REQUEST_CLOSED',
  'PULL_REQUEST_REOPENED',
  'REVIEW',
  'REVIEW_COMMENT',
  'ISSUE_OPENED',
  'ISSUE_COMMENT',
  'ISSUE_CLOSED',
  'ISSUE_REOPENED',
  'DISCUSSION',
  'RELEASE',
  'STAR',
  'FORK',
];
const SUGGESTION_STATUSES: MergeSuggestionStatus[] = ['OPEN', 'ACCEPTED', 'REJECTED'];
export const STAGES: Stage[] = ['OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED'];

type MemberRow = MembersData['members']['edges'][number];
type SuggestionRow = SuggestionsData['mergeSuggestions']['edges'][number]['node'];

interface FilterValues {
  repository?: string;
  type?: ActivityType;
  period?: [Dayjs | null, Dayjs | null] | null;
  bots?: boolean;
  /** A stage now, read in `ecosystem`. */
  stage?: Stage;
  ecosystem?: string;
  /** An organisation's id: activities credited to it on their date. */
  organization?: string;
  nonPayingOnly?: boolean;
}

/**
 * The `members` filter for the form's values (blank fields left out; the period as whole UTC days, the
 * last one included; an ecosystem keeps its members, and a stage goes only with the ecosystem it is read in).
 */
export function memberFilter(values: FilterValues): MemberFilter {
  const filter: MemberFilter = {};
  const repository = values.repository?.trim();
  if (repository) filter.repository = repository;
  if (values.type) filter.type = values.type;
  const [since, until] = values.period ?? [];
  if (since) filter.since = utcDayStart(since);
  if (until) filter.until = utcDayStart(until.add(1, 'day'));
  if (values.bots) filter.kinds = ['PERSON', 'BOT'] satisfies MemberKind[];
  if (values.ecosystem) {
    filter.ecosystem = values.ecosystem;
    if (values.stage) filter.stage = values.stage;
  }
  if (values.organization) filter.organization = values.organization;
  if (values.nonPayingOnly) filter.nonPayingOnly = true;
  return filter;
}

/**
 * Members: the members ranked by matching activities (filters: repository, activity type, period, stage in an
 * ecosystem, organisation, non-paying only, bots),
 * a search by GitHub login, a member's page in a drawer (`?member=<id or login>`), and the merge
 * suggestions to accept or reject (`?tab=suggestions`).
 */
export function MembersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'suggestions' ? 'suggestions' : 'members';
  const member = params.get('member');

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  }
  const openMember = (ref: string) => update({ member: ref });

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Flex align="center" gap={16} wrap justify="space-between">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('members.title')}
        </Typography.Title>
        <Input.Search
          data-testid="member-search"
          placeholder={t('members.searchPlaceholder')}
          enterButton={t('members.search')}
          allowClear
          style={{ maxWidth: 360 }}
          onSearch={(value) => value.trim() && openMember(value.trim())}
        />
      </Flex>
      <Tabs
        destroyOnHidden
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'suggestions' ? 'suggestions' : null })}
        items={[
          { key: 'members', label: t('members.tabs.members'), children: <MemberList onOpen={openMember} /> },
          { key: 'suggestions', label: t('members.tabs.suggestions'), children: <SuggestionList onOpen={openMember} /> },
        ]}
      />
      <Drawer
        open={member !== null}
        size={1000}
        title={t('members.detail.title')}
        onClose={() => update({ member: null })}
        destroyOnHidden
      >
        {member !== null && <MemberDetail reference={member} onOpen={openMember} />}
      </Drawer>
    </Space>
  );
}

function MemberList({ onOpen }: { onOpen: (ref: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<MemberFilter>({});
  const [pages, setPages] = useState<CursorPages>(FIRST_PAGE);
  const variables = useMemo(() => ({ first: PAGE_SIZE, after: afterCursor(pages), filter }), [pages, filter]);
  const [result, refetch] = useQuery({ query: MembersQuery, variables });
  const [ecosystemList] = useQuery({ query: EcosystemsQuery });
  const ecosystems = ecosystemList.data?.ecosystems ?? [];
  const connection = result.data?.members;

  useEffect(() => {
    if (connection) setPages((state) => withEndCursor(state, connection.pageInfo.endCursor, connection.pageInfo.hasNextPage));
  }, [connection]);

  function onFilter(values: FilterValues) {
    setFilter(memberFilter(values));
    setPages(FIRST_PAGE);
  }

  const columns: TableColumnsType<MemberRow> = [
    {
      title: t('members.columns.member'),
      key: 'member',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Typography.Link onClick={() => onOpen(row.node.id)}>{memberName(row.node)}</Typography.Link>
          {row.node.login && row.node.displayName && row.node.displayName !== row.node.login && <Typography.Text type="secondary">{row.node.displayName}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('members.columns.kind'), key: 'kind', render: (_, row) => t(`members.kind.${row.node.kind}`) },
    {
      title: t('members.columns.stage'),
      key: 'stage',
      render: (_, row) =>
        row.node.stage ? (
          <Tag color={stageColor(row.node.stage.stage)}>
            {t(`members.stage.${row.node.stage.stage}`)} · {row.node.stage.ecosystemSlug}
          </Tag>
        ) : (
          <Typography.Text type="secondary">{t('members.noStage')}</Typography.Text>
        ),
    },
    { title: t('members.columns.activities'), dataIndex: 'activityCount', align: 'right' },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form form={form} layout="inline" onFinish={onFilter} style={{ rowGap: 8 }}>
          <Form.Item name="repository" label={t('members.filters.repository')}>
            <Input placeholder="owner/name" allowClear style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="type" label={t('members.filters.type')}>
            <Select allowClear style={{ width: 200 }} placeholder={t('members.filters.anyType')} options={ACTIVITY_TYPES.map((type) => ({ value: type, label: t(`members.activityType.${type}`) }))} />
          </Form.Item>
          <Form.Item name="period" label={t('members.filters.period')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="stage" label={t('members.filters.stage')}>
            <Select allowClear style={{ width: 200 }} placeholder={t('members.filters.anyStage')} options={STAGES.map((stage) => ({ value: stage, label: t(`members.stage.${stage}`) }))} />
          </Form.Item>
          <Form.Item
            name="ecosystem"
            label={t('members.filters.ecosystem')}
            dependencies={['stage']}
            rules={[({ getFieldValue }) => ({ validator: (_, value) => (getFieldValue('stage') && !value ? Promise.reject(new Error(t('members.filters.ecosystemRequired'))) : Promise.resolve()) })]}
          >
            <Select allowClear style={{ width: 200 }} placeholder={t('members.filters.anyEcosystem')} options={ecosystems.map((item) => ({ value: item.slug, label: `${item.name} (${item.slug})` }))} />
          </Form.Item>
          <Form.Item name="organization" label={t('members.filters.organization')}>
            <OrganizationSelect
              label={t('members.filters.organization')}
              placeholder={t('members.filters.anyOrganization')}
              notFound={t('members.filters.noOrganizations')}
              customerLabel={t('members.filters.customer')}
            />
          </Form.Item>
          <Form.Item name="nonPayingOnly" valuePropName="checked">
            <Checkbox>{t('members.filters.nonPayingOnly')}</Checkbox>
          </Form.Item>
          <Form.Item name="bots" valuePropName="checked">
            <Checkbox>{t('members.filters.bots')}</Checkbox>
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                {t('members.filters.apply')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  onFilter({});
                }}
              >
                {t('members.filters.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('members.filters.note')}
        </Typography.Paragraph>
      </Card>
      {result.error ? (
        <QueryError error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : (
        <QueryState fetching={result.fetching} empty={!connection} emptyText="" onRetry={() => refetch({ requestPolicy: 'network-only' })}>
          {connection && (
            <Table<MemberRow>
              data-testid="members-table"
              rowKey={(row) => row.node.id}
              size="small"
              loading={result.fetching}
              columns={columns}
              dataSource={connection.edges}
              locale={{ emptyText: t('members.noMembers') }}
              title={() => t('members.total', { count: connection.totalCount })}
              onRow={(row) => ({ onDoubleClick: () => onOpen(row.node.id) })}
              pagination={cursorPagination(pages, setPages, PAGE_SIZE, reachableTotal(pages, PAGE_SIZE, connection.totalCount))}
            />
          )}
        </QueryState>
      )}
    </Space>
  );
}

function SuggestionList({ onOpen }: { onOpen: (ref: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<MergeSuggestionStatus>('OPEN');
  const [pages, setPages] = useState<CursorPages>(FIRST_PAGE);
  const [result, refetch] = useQuery({ query: MergeSuggestionsQuery, variables: { status, first: PAGE_SIZE, after: afterCursor(pages) } });
  const [acceptState, accept] = useMutation(AcceptMergeSuggestionMutation);
  const [rejectState, reject] = useMutation(RejectMergeSuggestionMutation);
  const connection = result.data?.mergeSuggestions;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    if (connection) setPages((state) => withEndCursor(state, connection.pageInfo.endCursor, connection.pageInfo.hasNextPage));
  }, [connection]);

  async function decide(row: SuggestionRow, accepted: boolean) {
    const answer = accepted ? await accept({ id: row.id }) : await reject({ id: row.id });
    if (answer.error) return void message.error(t('members.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t(accepted ? 'members.suggestions.accepted' : 'members.suggestions.rejected', { from: memberName(row.otherMember), into: memberName(row.member) }));
    refresh();
  }

  const person = (member: SuggestionRow['member'], id: string) => <Typography.Link onClick={() => onOpen(member?.id ?? id)}>{memberName(member ?? { id })}</Typography.Link>;
  const columns: TableColumnsType<SuggestionRow> = [
    { title: t('members.suggestions.found'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at, i18n.language) },
    {
      title: t('members.suggestions.evidence'),
      key: 'evidence',
      render: (_, row) => (
        <Space orientation="vertical" size={2}>
          <Space size={4}>
            <Tag color={row.conclusive ? 'green' : 'gold'}>{t(`members.evidenceKind.${row.evidenceKind}`)}</Tag>
            <Typography.Text type="secondary">{t(row.conclusive ? 'members.suggestions.conclusive' : 'members.suggestions.weak')}</Typography.Text>
          </Space>
          {evidenceLines(row.evidenceJson).map((line) => (
            <Typography.Text key={line} type="secondary" style={{ fontSize: 12 }}>
              {line}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    { title: t('members.suggestions.keeps'), key: 'member', render: (_, row) => person(row.member, row.id) },
    { title: t('members.suggestions.mergedIn'), key: 'other', render: (_, row) => person(row.otherMember, row.id) },
    status === 'OPEN'
      ? {
          title: t('members.suggestions.decide'),
          key: 'decide',
          render: (_, row) => (
            <Space>
              <Popconfirm title={t('members.suggestions.acceptConfirm', { from: memberName(row.otherMember), into: memberName(row.member) })} onConfirm={() => decide(row, true)}>
                <Button size="small" type="primary" loading={acceptState.fetching}>
                  {t('members.suggestions.accept')}
                </Button>
              </Popconfirm>
              <Popconfirm title={t('members.suggestions.rejectConfirm')} onConfirm={() => decide(row, false)}>
                <Button size="small" danger loading={rejectState.fetching}>
                  {t('members.suggestions.reject')}
                </Button>
              </Popconfirm>
            </Space>
          ),
        }
      : {
          title: t('members.suggestions.decided'),
          key: 'decided',
          render: (_, row) => `${formatInstant(row.decidedAt, i18n.language)} · ${row.decidedBy ?? '—'}`,
        },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Segmented<MergeSuggestionStatus>
        value={status}
        options={SUGGESTION_STATUSES.map((value) => ({ value, label: t(`members.suggestionStatus.${value}`) }))}
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
            <Table<SuggestionRow>
              data-testid="suggestions-table"
              rowKey="id"
              size="small"
              loading={result.fetching}
              columns={columns}
              dataSource={connection.edges.map((edge) => edge.node)}
              locale={{ emptyText: t(`members.suggestions.none.${status}`) }}
              title={() => t('members.suggestions.total', { count: connection.totalCount })}
              pagination={cursorPagination(pages, setPages, PAGE_SIZE, reachableTotal(pages, PAGE_SIZE, connection.totalCount))}
            />
          )}
        </QueryState>
      )}
    </Space>
  );
}
