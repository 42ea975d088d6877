import { Card, Col, Descriptions, Flex, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { EcosystemPicker } from '../../components/ecosystem-picker.js';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { CommunityMetricsQuery as MetricsData, FlowItemKind, FlowStep, ItemFlowQuery as FlowData, PeriodPreset } from '../../graphql/generated/graphql.js';
import { useEcosystemParam } from '../../hooks/use-ecosystem-param.js';
import { formatAge, formatInstant, formatShare } from '../../lib/format.js';
import { CommunityMetricsQuery, HealthRepositoriesQuery, ItemFlowQuery } from './health.operations.js';

const PRESETS: PeriodPreset[] = ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_365_DAYS', 'ALL_TIME'];
/** Rows per page of the waiting items. */
const PAGE_SIZE = 20;

type Metrics = MetricsData['communityMetrics'];
type StepRow = FlowData['itemFlow']['steps'][number];
type ItemRow = FlowData['itemFlow']['items']['edges'][number]['node'];
type Person = { id: string; login?: string | null; displayName?: string | null };

function personName(member: Person): string {
  return member.login ?? member.displayName ?? member.id;
}

/**
 * Community health of an ecosystem (`?ecosystem=<slug>`) or one of its repositories: the CHAOSS metrics
 * the api offers over a window (time to first response, change request closure ratio, contributor
 * absence factor, new contributors, organisational diversity) and the item flow — where open issues and
 * pull requests wait now, and for how long.
 */
export function HealthPage() {
  const { t } = useTranslation();
  const { ecosystems, slug, fetching, error, retry, choose } = useEcosystemParam();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Flex align="center" gap={16} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('health.title')}
        </Typography.Title>
        <EcosystemPicker label={t('health.pickEcosystem')} ecosystems={ecosystems} value={slug} onChange={choose} />
      </Flex>
      <QueryState fetching={fetching} error={error} empty={ecosystems.length === 0} emptyText={t('health.noEcosystems')} onRetry={retry}>
        {slug && <HealthDetail key={slug} slug={slug} />}
      </QueryState>
    </Space>
  );
}

function HealthDetail({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const [repository, setRepository] = useState<string | undefined>();
  const [preset, setPreset] = useState<PeriodPreset>('LAST_30_DAYS');
  const [repositories] = useQuery({ query: HealthRepositoriesQuery, variables: { ecosystem: slug } });
  // the scope: one repository, or every repository of the ecosystem (the api takes one or the other)
  const scope = repository ? { ecosystem: null, repository } : { ecosystem: slug, repository: null };
  const [metrics, refetchMetrics] = useQuery({ query: CommunityMetricsQuery, variables: { ...scope, period: { preset } } });
  const names = new Map((repositories.data?.repositories ?? []).map((item) => [item.id, item.fullName]));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex gap={16} wrap>
          <Select
            aria-label={t('health.repository')}
            allowClear
            showSearch
            placeholder={t('health.everyRepository')}
            style={{ width: 280 }}
            loading={repositories.fetching}
            value={repository}
            options={(repositories.data?.repositories ?? []).map((item) => ({ value: item.fullName, label: item.fullName }))}
            onChange={(value?: string) => setRepository(value)}
          />
          <Select aria-label={t('health.period')} value={preset} style={{ width: 180 }} options={PRESETS.map((value) => ({ value, label: t(`leaderboard.preset.${value}`) }))} onChange={setPreset} />
        </Flex>
        {repositories.error && <QueryError error={repositories.error} />}
      </Card>
      <QueryState fetching={metrics.fetching} error={metrics.data ? undefined : metrics.error} empty={!metrics.data} emptyText="" onRetry={() => refetchMetrics({ requestPolicy: 'network-only' })}>
        {metrics.data && <MetricsCards metrics={metrics.data.communityMetrics} />}
      </QueryState>
      <ItemFlowCard scope={scope} names={names} />
    </Space>
  );
}

function MetricsCards({ metrics }: { metrics: Metrics }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const ttfr = metrics.timeToFirstResponse;
  const closure = metrics.changeRequestClosureRatio;
  const absence = metrics.contributorAbsenceFactor;
  const diversity = metrics.organizationalDiversity;
  const responseRows = [
    { key: 'issues', ...ttfr.issues },
    { key: 'pullRequests', ...ttfr.pullRequests },
  ];
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {t('health.window', { since: metrics.since ? formatInstant(metrics.since, language) : t('health.beginning'), until: formatInstant(metrics.until, language) })}
      </Typography.Text>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('health.ttfr.title')} extra={<Typography.Link href="https://chaoss.community/kb/metric-time-to-first-response/" target="_blank">CHAOSS</Typography.Link>}>
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={responseRows}
              columns={[
                { title: '', dataIndex: 'key', render: (key: string) => t(`health.ttfr.${key}`) },
                { title: t('health.ttfr.items'), dataIndex: 'items', align: 'right' },
                { title: t('health.ttfr.responded'), dataIndex: 'responded', align: 'right' },
                { title: t('health.ttfr.unresponded'), dataIndex: 'unresponded', align: 'right' },
                { title: t('health.ttfr.median'), dataIndex: 'medianSeconds', align: 'right', render: (seconds: number | null) => formatAge(seconds, language) },
                { title: t('health.ttfr.p90'), dataIndex: 'p90Seconds', align: 'right', render: (seconds: number | null) => formatAge(seconds, language) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('health.closure.title')} extra={<Typography.Link href="https://chaoss.community/kb/metric-change-request-closure-ratio/" target="_blank">CHAOSS</Typography.Link>}>
            <Row gutter={16}>
              <Col span={8}>
                <Statistic title={t('health.closure.ratio')} value={formatShare(closure.ratio, language)} />
              </Col>
              <Col span={16}>
                <Descriptions size="small" column={2}>
                  <Descriptions.Item label={t('health.closure.openDuringPeriod')}>{closure.openDuringPeriod}</Descriptions.Item>
                  <Descriptions.Item label={t('health.closure.opened')}>{closure.opened}</Descriptions.Item>
                  <Descriptions.Item label={t('health.closure.closed')}>{closure.closed}</Descriptions.Item>
                  <Descriptions.Item label={t('health.closure.merged')}>{closure.merged}</Descriptions.Item>
                  <Descriptions.Item label={t('health.closure.closedUnmerged')}>{closure.closedUnmerged}</Descriptions.Item>
                </Descriptions>
              </Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('health.absence.title')} extra={<Typography.Link href="https://chaoss.community/kb/metric-contributor-absence-factor/" target="_blank">CHAOSS</Typography.Link>}>
            <Flex gap={32} style={{ marginBottom: 12 }}>
              <Statistic title={t('health.absence.factor')} value={absence.factor} />
              <Statistic title={t('health.absence.contributors')} value={absence.contributorCount} />
              <Statistic title={t('health.absence.contributions')} value={absence.contributions} />
            </Flex>
            <Table
              rowKey={(row) => row.member.id}
              size="small"
              pagination={false}
              dataSource={absence.contributors}
              locale={{ emptyText: t('health.nobody') }}
              columns={[
                { title: t('health.columns.member'), key: 'member', render: (_, row) => personName(row.member) },
                { title: t('health.columns.contributions'), dataIndex: 'contributions', align: 'right' },
                { title: t('health.columns.share'), dataIndex: 'share', align: 'right', render: (share: number) => formatShare(share, language) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('health.newContributors.title')} extra={<Typography.Link href="https://chaoss.community/kb/metric-new-contributors/" target="_blank">CHAOSS</Typography.Link>}>
            <Statistic title={t('health.newContributors.count')} value={metrics.newContributors.count} style={{ marginBottom: 12 }} />
            <Table
              rowKey={(row) => row.member.id}
              size="small"
              pagination={false}
              dataSource={metrics.newContributors.contributors}
              locale={{ emptyText: t('health.nobody') }}
              columns={[
                { title: t('health.columns.member'), key: 'member', render: (_, row) => personName(row.member) },
                { title: t('health.columns.firstContribution'), dataIndex: 'firstContributionAt', render: (at: string) => formatInstant(at, language) },
              ]}
            />
            {metrics.newContributors.count > metrics.newContributors.contributors.length && (
              <Typography.Text type="secondary">{t('health.newContributors.earliest', { count: metrics.newContributors.contributors.length })}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('health.diversity.title')} extra={<Typography.Link href="https://chaoss.community/kb/metric-organizational-diversity/" target="_blank">CHAOSS</Typography.Link>}>
            <Flex gap={32} style={{ marginBottom: 12 }} wrap>
              <Statistic title={t('health.diversity.organizations')} value={diversity.organizationCount} />
              <Statistic title={t('health.diversity.contributions')} value={diversity.contributions} />
              <Statistic title={t('health.diversity.unaffiliatedContributions')} value={diversity.unaffiliatedContributions} />
              <Statistic title={t('health.diversity.unaffiliatedContributors')} value={diversity.unaffiliatedContributors} />
            </Flex>
            <Table
              rowKey="organizationId"
              size="small"
              dataSource={diversity.organizations}
              pagination={{ pageSize: PAGE_SIZE, hideOnSinglePage: true, showSizeChanger: false }}
              locale={{ emptyText: t('health.diversity.none') }}
              columns={[
                { title: t('health.columns.organization'), dataIndex: 'name', render: (name: string, row) => <Space>{name}{row.isCustomer && <Tag color="gold">{t('health.customer')}</Tag>}</Space> },
                { title: t('health.columns.contributors'), dataIndex: 'contributors', align: 'right' },
                { title: t('health.columns.contributions'), dataIndex: 'contributions', align: 'right' },
                { title: t('health.columns.share'), dataIndex: 'share', align: 'right', render: (share: number) => formatShare(share, language) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

/** The item flow: open items per (kind, step) with their waits; pick a row to list its items, longest-waiting first, paged by cursor. */
function ItemFlowCard({ scope, names }: { scope: { ecosystem: string | null; repository: string | null }; names: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [picked, setPicked] = useState<{ kind: FlowItemKind; step: FlowStep } | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length;
  const [flow, refetch] = useQuery({
    query: ItemFlowQuery,
    variables: { ...scope, kind: picked?.kind ?? null, step: picked?.step ?? null, first: PAGE_SIZE, after: cursors[page - 1] },
  });
  const data = flow.data?.itemFlow;
  const pick = (next: { kind: FlowItemKind; step: FlowStep } | null) => {
    setPicked(next);
    setCursors([null]);
  };
  const stepColumns: TableColumnsType<StepRow> = [
    { title: t('health.columns.kind'), dataIndex: 'kind', render: (kind: FlowItemKind) => t(`health.kind.${kind}`) },
    { title: t('health.columns.step'), dataIndex: 'step', render: (step: FlowStep) => t(`health.step.${step}`) },
    { title: t('health.columns.open'), dataIndex: 'count', align: 'right' },
    { title: t('health.columns.medianWait'), dataIndex: 'medianWaitSeconds', align: 'right', render: (seconds: number) => formatAge(seconds, language) },
    { title: t('health.columns.maxWait'), dataIndex: 'maxWaitSeconds', align: 'right', render: (seconds: number) => formatAge(seconds, language) },
  ];
  const itemColumns: TableColumnsType<ItemRow> = [
    { title: t('health.columns.item'), key: 'item', render: (_, row) => `${names.get(row.repositoryId) ?? row.repositoryId}#${row.number}` },
    { title: t('health.columns.title'), dataIndex: 'title', ellipsis: true },
    { title: t('health.columns.kind'), dataIndex: 'kind', render: (kind: FlowItemKind) => t(`health.kind.${kind}`) },
    { title: t('health.columns.step'), dataIndex: 'step', render: (step: FlowStep) => t(`health.step.${step}`) },
    { title: t('health.columns.author'), key: 'author', render: (_, row) => (row.author ? personName(row.author) : '—') },
    { title: t('health.columns.waiting'), dataIndex: 'waitedSeconds', align: 'right', render: (seconds: number) => formatAge(seconds, language) },
  ];
  return (
    <Card title={t('health.flow.title')} extra={data && <Typography.Text type="secondary">{t('health.flow.asOf', { at: formatInstant(data.asOf, language) })}</Typography.Text>}>
      <QueryState fetching={flow.fetching} error={flow.error} empty={!data || data.steps.length === 0} emptyText={t('health.flow.empty')} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        {data && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">{t('health.flow.help')}</Typography.Text>
            <Table<StepRow>
              rowKey={(row) => `${row.kind}/${row.step}`}
              size="small"
              columns={stepColumns}
              dataSource={data.steps}
              pagination={false}
              rowSelection={{
                type: 'radio',
                selectedRowKeys: picked ? [`${picked.kind}/${picked.step}`] : [],
                onChange: (_, rows) => pick(rows[0] ? { kind: rows[0].kind, step: rows[0].step } : null),
              }}
            />
            <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {picked ? t('health.flow.itemsOf', { kind: t(`health.kind.${picked.kind}`), step: t(`health.step.${picked.step}`) }) : t('health.flow.allItems')}
              </Typography.Title>
              {picked && <Typography.Link onClick={() => pick(null)}>{t('health.flow.showAll')}</Typography.Link>}
            </Flex>
            <Table<ItemRow>
              rowKey="id"
              size="small"
              columns={itemColumns}
              dataSource={data.items.edges.map((edge) => edge.node)}
              loading={flow.fetching}
              pagination={{
                current: page,
                pageSize: PAGE_SIZE,
                total: data.items.totalCount,
                simple: true,
                // forward paging by cursor: one page on, or back through the cursors already seen
                onChange: (next) => {
                  if (next === page + 1 && data.items.pageInfo.endCursor) setCursors([...cursors, data.items.pageInfo.endCursor]);
                  else if (next < page) setCursors(cursors.slice(0, next));
                },
              }}
            />
          </Space>
        )}
      </QueryState>
    </Card>
  );
}
