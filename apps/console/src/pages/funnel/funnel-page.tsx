import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, DatePicker, Descriptions, Flex, Form, Select, Space, Spin, Table, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { EcosystemPicker } from '../../components/ecosystem-picker.js';
import { OrganizationSelect } from '../../components/organization-select.js';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { ReadyForNextStepQuery as ReadyData, ReadyKind, Stage } from '../../graphql/generated/graphql.js';
import { useEcosystemParam } from '../../hooks/use-ecosystem-param.js';
import { formatInstant, formatShare } from '../../lib/format.js';
import {
  COHORT_STAGES,
  cohortCount,
  cohortCsv,
  DEFAULT_WEEKS,
  downloadCsv,
  funnelCsv,
  periodVariables,
  WEEK_CHOICES,
  type CohortRow,
  type CsvLabels,
  type FunnelStepRow,
} from './funnel-data.js';
import { CohortPageQuery, CohortsExportQuery, FunnelFiltersQuery, FunnelQuery, ReadyForNextStepQuery } from './funnel.operations.js';

// ECharts is loaded with the chart, not with the console's first page
const FunnelChart = lazy(() => import('./funnel-chart.js'));

const READY_KINDS: ReadyKind[] = ['REPORTERS_WITHOUT_PULL_REQUEST', 'FIRST_TIMERS_ONE_AWAY_FROM_REGULAR', 'REGULARS_REVIEWING_OTHERS'];
/** Rows per page of the cohort table and of the "ready for the next step" lists. */
const PAGE_SIZE = 20;

interface Filters {
  days: [string | null, string | null] | null;
  repository?: string;
  organization?: string;
  nonPayingOnly: boolean;
  weeks: number[];
}

/**
 * Funnel and cohorts of an ecosystem (`?ecosystem=<slug>`): the funnel between stages with conversion
 * rates (ECharts), the cohort table (one page of {@link PAGE_SIZE} rows fetched at a time), filters (entry
 * period, repository, organisation, non-paying only), CSV export of the funnel shown and of every cohort
 * row (fetched when exported), and the "ready for the next step" lists.
 */
export function FunnelPage() {
  const { t } = useTranslation();
  const { ecosystems, slug, fetching, error, retry, choose } = useEcosystemParam();

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Flex align="center" gap={16} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('funnel.title')}
        </Typography.Title>
        <EcosystemPicker label={t('funnel.pickEcosystem')} ecosystems={ecosystems} value={slug} onChange={choose} />
      </Flex>
      <QueryState
        fetching={fetching}
        error={error}
        empty={ecosystems.length === 0}
        emptyText={t('funnel.noEcosystems')}
        onRetry={retry}
      >
        {slug && <FunnelDetail key={slug} slug={slug} />}
      </QueryState>
    </Space>
  );
}

function FunnelDetail({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { message } = App.useApp();
  const client = useClient();
  const [filters, setFiltersState] = useState<Filters>({ days: null, nonPayingOnly: false, weeks: DEFAULT_WEEKS });
  const [cohortPage, setCohortPage] = useState(1);
  const [exporting, setExporting] = useState(false);
  // other filters, other cohorts: back to their first page
  const setFilters = (next: Filters) => {
    setFiltersState(next);
    setCohortPage(1);
  };
  const [filterOptions] = useQuery({ query: FunnelFiltersQuery, variables: { ecosystem: slug } });
  const period = periodVariables(filters.days);
  const variables = {
    ecosystem: slug,
    ...period,
    repository: filters.repository ?? null,
    organization: filters.organization ?? null,
    nonPayingOnly: filters.nonPayingOnly,
  };
  const cohortVariables = { ecosystem: slug, ...period, weeks: filters.weeks.length > 0 ? filters.weeks : DEFAULT_WEEKS };
  const [result, refetch] = useQuery({ query: FunnelQuery, variables });
  const [cohortResult, refetchCohorts] = useQuery({
    query: CohortPageQuery,
    variables: { ...cohortVariables, first: PAGE_SIZE, offset: (cohortPage - 1) * PAGE_SIZE },
  });
  const refresh = () => {
    refetch({ requestPolicy: 'network-only' });
    refetchCohorts({ requestPolicy: 'network-only' });
  };
  const data = result.data;
  const cohorts = cohortResult.data?.cohortPage;

  async function exportCohorts() {
    setExporting(true);
    try {
      const answer = await client.query(CohortsExportQuery, cohortVariables, { requestPolicy: 'network-only' }).toPromise();
      if (answer.error || !answer.data) return void message.error(t('funnel.exportFailed', { message: answer.error?.message ?? '' }));
      downloadCsv(`cohorts-${slug}.csv`, cohortCsv(answer.data.cohorts, labels));
    } finally {
      setExporting(false);
    }
  }
  const labels: CsvLabels = useMemo(
    () => ({ stage: (stage: Stage) => t(`funnel.stage.${stage}`), heading: (key: string) => t(`funnel.columns.${key}`) }),
    [t],
  );

  const stepColumns: TableColumnsType<FunnelStepRow> = [
    { title: t('funnel.columns.stage'), dataIndex: 'stage', render: (stage: Stage) => t(`funnel.stage.${stage}`) },
    {
      title: t('funnel.columns.reached'),
      dataIndex: 'reached',
      align: 'right',
      render: (value: number, row) => <span data-testid={`reached-${row.stage}`}>{value.toLocaleString(language)}</span>,
    },
    {
      title: t('funnel.columns.current'),
      dataIndex: 'current',
      align: 'right',
      render: (value: number, row) => <span data-testid={`current-${row.stage}`}>{value.toLocaleString(language)}</span>,
    },
    {
      title: t('funnel.columns.conversion'),
      dataIndex: 'conversionToNext',
      align: 'right',
      render: (value: number | null, row) => <span data-testid={`conversion-${row.stage}`}>{formatShare(value, language)}</span>,
    },
  ];

  const cohortColumns: TableColumnsType<CohortRow> = [
    { title: t('funnel.columns.month'), dataIndex: 'month', render: (month: string) => new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(month)) },
    { title: t('funnel.columns.weeks'), dataIndex: 'weeks', align: 'right' },
    { title: t('funnel.columns.size'), dataIndex: 'size', align: 'right' },
    { title: t('funnel.columns.pending'), dataIndex: 'pending', align: 'right' },
    ...COHORT_STAGES.map((stage) => ({ title: t(`funnel.stage.${stage}`), key: stage, align: 'right' as const, render: (_: unknown, row: CohortRow) => cohortCount(row, stage) })),
  ];

  const repositories = filterOptions.data?.repositories ?? [];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('funnel.filters')}>
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label={t('funnel.period')} tooltip={t('funnel.periodHelp')}>
            <DatePicker.RangePicker
              allowEmpty={[true, true]}
              onChange={(_: unknown, days: [string, string]) => setFilters({ ...filters, days: [days[0] || null, days[1] || null] })}
              format="YYYY-MM-DD"
              data-testid="funnel-period"
              disabledDate={(day: Dayjs) => day.isAfter(new Date())}
            />
          </Form.Item>
          <Form.Item label={t('funnel.repository')}>
            <Select
              aria-label={t('funnel.repository')}
              allowClear
              showSearch
              placeholder={t('funnel.anyRepository')}
              style={{ width: 240 }}
              loading={filterOptions.fetching}
              value={filters.repository}
              options={repositories.map((repository) => ({ value: repository.fullName, label: repository.fullName }))}
              onChange={(value?: string) => setFilters({ ...filters, repository: value })}
            />
          </Form.Item>
          <Form.Item label={t('funnel.organization')}>
            <OrganizationSelect
              label={t('funnel.organization')}
              placeholder={t('funnel.anyOrganization')}
              notFound={t('funnel.noOrganizations')}
              customerLabel={t('funnel.customer')}
              value={filters.organization}
              onChange={(value) => setFilters({ ...filters, organization: value })}
            />
          </Form.Item>
          <Form.Item>
            <Checkbox checked={filters.nonPayingOnly} onChange={(event) => setFilters({ ...filters, nonPayingOnly: event.target.checked })}>
              {t('funnel.nonPayingOnly')}
            </Checkbox>
          </Form.Item>
          <Form.Item>
            <Button icon={<ReloadOutlined />} loading={result.fetching} onClick={refresh}>
              {t('funnel.refresh')}
            </Button>
          </Form.Item>
        </Form>
        {filterOptions.error && <QueryError error={filterOptions.error} />}
      </Card>

      {result.error && data && <QueryError error={result.error} onRetry={refresh} />}
      <Card
        title={t('funnel.funnel')}
        extra={
          <Button icon={<DownloadOutlined />} disabled={!data} onClick={() => data && downloadCsv(`funnel-${slug}.csv`, funnelCsv(data.funnel.steps, labels))}>
            {t('funnel.exportCsv')}
          </Button>
        }
      >
        <QueryState fetching={result.fetching} error={data ? undefined : result.error} empty={!data || data.funnel.entered === 0} emptyText={t('funnel.emptyFunnel')} onRetry={refresh}>
          {data && (
            <Spin spinning={result.fetching}>
              <Descriptions size="small" column={{ xs: 1, md: 4 }} style={{ marginBottom: 16 }}>
                <Descriptions.Item label={t('funnel.entered')}>
                  <span data-testid="funnel-entered">{data.funnel.entered.toLocaleString(language)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('funnel.lapsed')}>
                  <span data-testid="funnel-lapsed">{data.funnel.lapsed.toLocaleString(language)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('funnel.from')}>{data.funnel.from ? formatInstant(data.funnel.from, language) : t('funnel.sinceBeginning')}</Descriptions.Item>
                <Descriptions.Item label={t('funnel.to')}>{formatInstant(data.funnel.to, language)}</Descriptions.Item>
              </Descriptions>
              <Flex gap={24} wrap>
                <div style={{ flex: '1 1 420px', minWidth: 320 }}>
                  <Suspense fallback={<Spin description={t('state.loading')}><div style={{ height: 360 }} /></Spin>}>
                    <FunnelChart steps={data.funnel.steps} />
                  </Suspense>
                </div>
                <div style={{ flex: '1 1 420px' }}>
                  <Table<FunnelStepRow> rowKey="stage" size="small" columns={stepColumns} dataSource={data.funnel.steps} pagination={false} />
                  <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
                    {t('funnel.conversionNote')}
                  </Typography.Paragraph>
                </div>
              </Flex>
            </Spin>
          )}
        </QueryState>
      </Card>

      <Card
        title={t('funnel.cohorts')}
        extra={
          <Space wrap>
            <Select
              aria-label={t('funnel.weeksAfter')}
              mode="multiple"
              style={{ minWidth: 260 }}
              value={filters.weeks}
              maxCount={12}
              options={WEEK_CHOICES.map((weeks) => ({ value: weeks, label: t('funnel.weeksLabel', { count: weeks }) }))}
              onChange={(weeks: number[]) => setFilters({ ...filters, weeks: [...weeks].sort((a, b) => a - b) })}
            />
            <Button icon={<DownloadOutlined />} disabled={!cohorts || cohorts.totalCount === 0} loading={exporting} onClick={() => void exportCohorts()}>
              {t('funnel.exportCsv')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('funnel.cohortNote')}</Typography.Paragraph>
        {cohortResult.error && cohorts && <QueryError error={cohortResult.error} onRetry={refresh} />}
        <QueryState
          fetching={cohortResult.fetching}
          error={cohorts ? undefined : cohortResult.error}
          empty={!cohorts || cohorts.totalCount === 0}
          emptyText={t('funnel.emptyCohorts')}
          onRetry={refresh}
        >
          <Table<CohortRow>
            rowKey={(row) => `${row.month}/${row.weeks}`}
            size="small"
            columns={cohortColumns}
            dataSource={cohorts?.rows ?? []}
            loading={cohortResult.fetching}
            pagination={{
              current: cohortPage,
              pageSize: PAGE_SIZE,
              total: cohorts?.totalCount ?? 0,
              hideOnSinglePage: true,
              showSizeChanger: false,
              onChange: setCohortPage,
            }}
            data-testid="cohort-table"
            scroll={{ x: true }}
          />
        </QueryState>
      </Card>

      <Card title={t('funnel.ready')}>
        <Tabs
          items={READY_KINDS.map((kind) => ({
            key: kind,
            label: t(`funnel.readyKind.${kind}.label`),
            children: <ReadyList slug={slug} kind={kind} />,
          }))}
        />
      </Card>
    </Space>
  );
}

type ReadyRow = ReadyData['readyForNextStep']['edges'][number]['node'];

/** One "ready for the next step" list, paged forward by cursor (the cursors of pages already seen are kept to go back). */
function ReadyList({ slug, kind }: { slug: string; kind: ReadyKind }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length;
  const [result, refetch] = useQuery({ query: ReadyForNextStepQuery, variables: { ecosystem: slug, kind, first: PAGE_SIZE, after: cursors[page - 1] } });
  const connection = result.data?.readyForNextStep;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];
  const columns: TableColumnsType<ReadyRow> = [
    { title: t('funnel.columns.member'), key: 'member', render: (_, row) => row.member.login ?? row.member.displayName ?? row.member.id },
    { title: t('funnel.columns.stage'), key: 'stage', render: (_, row) => t(`funnel.stage.${row.stage.stage}`) },
    { title: t('funnel.columns.since'), key: 'since', render: (_, row) => formatInstant(row.stage.since, language) },
    { title: t('funnel.columns.lastActivity'), key: 'lastActivity', render: (_, row) => formatInstant(row.stage.lastActivityAt, language) },
    { title: t('funnel.columns.issuesOpened'), key: 'issues', align: 'right', render: (_, row) => row.stage.issuesOpened },
    { title: t('funnel.columns.pullRequestsOpened'), key: 'prs', align: 'right', render: (_, row) => row.stage.pullRequestsOpened },
    { title: t('funnel.columns.contributionWeeks'), key: 'weeks', align: 'right', render: (_, row) => row.stage.contributionWeeksInWindow },
    { title: t('funnel.columns.reviewsOfOthers'), key: 'reviews', align: 'right', render: (_, row) => row.stage.reviewsOfOthers },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t(`funnel.readyKind.${kind}.help`)}</Typography.Text>
      <QueryState fetching={result.fetching} error={result.error} empty={!connection || (rows.length === 0 && page === 1)} emptyText={t('funnel.emptyReady')} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Table<ReadyRow>
          rowKey={(row) => row.member.id}
          size="small"
          columns={columns}
          dataSource={rows}
          loading={result.fetching}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            simple: true,
            // forward paging: the api tells whether a next page exists, not how many there are
            total: (page - 1) * PAGE_SIZE + rows.length + (connection?.pageInfo.hasNextPage ? 1 : 0),
            onChange: (next) => {
              if (next > page && connection?.pageInfo.endCursor) setCursors([...cursors, connection.pageInfo.endCursor]);
              else if (next < page) setCursors(cursors.slice(0, next));
            },
          }}
        />
      </QueryState>
    </Space>
  );
}
