import { ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { EcosystemPicker } from '../../components/ecosystem-picker.js';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { EcosystemQuery as EcosystemData, RepositorySyncResourcesQuery as ResourcesData, TrackedSourceKind } from '../../graphql/generated/graphql.js';
import { useEcosystemParam } from '../../hooks/use-ecosystem-param.js';
import { formatAge, formatInstant, formatShare } from '../../lib/format.js';
import {
  AddTrackedSourceMutation,
  EcosystemQuery,
  RemoveTrackedSourceMutation,
  RepositorySyncResourcesQuery,
  SetTrackedSourcePausedMutation,
  StartSyncMutation,
} from './ecosystem.operations.js';

type RepositoryRow = EcosystemData['repositories'][number];
type ResourceRow = NonNullable<ResourcesData['repository']>['syncHealth']['resources'][number];
type SourceRow = NonNullable<EcosystemData['ecosystem']>['trackedSources'][number];

/** Seconds between refreshes while a repository's sync runs ("sync progress live"). */
export const LIVE_REFRESH_SECONDS = 5;
/** How long after a re-sync request the page keeps refreshing while no repository shows the new runs, milliseconds. */
const AWAIT_SYNC_MS = 5 * 60_000;
/** Rows per page of the repositories table (and of the tracked sources): one page of repositories is fetched at a time. */
const PAGE_SIZE = 20;
const KINDS: TrackedSourceKind[] = ['ORGANIZATION', 'USER', 'REPOSITORY'];

/**
 * True when there are repositories and each has a resource run started at or after `since` (epoch milliseconds;
 * a minute of clock difference allowed), by `syncHealth.lastStartedAt` (the latest start of any resource).
 */
export function syncedSince(repositories: readonly Pick<RepositoryRow, 'syncHealth'>[], since: number): boolean {
  return (
    repositories.length > 0 &&
    repositories.every(({ syncHealth }) => syncHealth.lastStartedAt !== null && Date.parse(syncHealth.lastStartedAt) >= since - 60_000)
  );
}

function apiMessage(error: CombinedError): string {
  return error.graphQLErrors.map((item) => item.message).join(' · ') || error.message;
}

/**
 * Ecosystem: pick an ecosystem (`?ecosystem=<slug>`), see its tracked sources (add, pause or resume, remove one;
 * re-sync) and its repositories with their sync health, a page of {@link PAGE_SIZE} at a time (fetched per
 * page), per resource in a repository's opened row (fetched when opened). Refreshes every
 * {@link LIVE_REFRESH_SECONDS} s while a sync of a shown repository runs, and after a re-sync until the shown
 * repositories' runs show.
 */
export function EcosystemPage() {
  const { t } = useTranslation();
  const { ecosystems, slug, fetching, error, retry, choose } = useEcosystemParam();

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Flex align="center" gap={16} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('ecosystem.title')}
        </Typography.Title>
        <EcosystemPicker label={t('ecosystem.pick')} ecosystems={ecosystems} value={slug} onChange={choose} />
      </Flex>
      <QueryState
        fetching={fetching}
        error={error}
        empty={ecosystems.length === 0}
        emptyText={t('ecosystem.noEcosystems')}
        onRetry={retry}
      >
        {slug && <EcosystemDetail slug={slug} />}
      </QueryState>
    </Space>
  );
}

function EcosystemDetail({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [result, refetch] = useQuery({ query: EcosystemQuery, variables: { slug, first: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } });
  const [addState, addSource] = useMutation(AddTrackedSourceMutation);
  const [syncState, startSync] = useMutation(StartSyncMutation);
  const [pauseState, setPaused] = useMutation(SetTrackedSourcePausedMutation);
  const [removeState, removeSource] = useMutation(RemoveTrackedSourceMutation);
  const [form] = Form.useForm<{ kind: TrackedSourceKind; name: string }>();
  const data = result.data;
  const [resyncAt, setResyncAt] = useState<number | null>(null);
  const repositories = data?.repositories ?? [];
  const running = repositories.some((repository) => repository.syncHealth.runningResources > 0);
  // after a re-sync, discovery runs first: keep refreshing until every repository shows a run started since
  const awaiting = resyncAt !== null && !running && !syncedSince(repositories, resyncAt);
  const live = running || awaiting;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    if (resyncAt === null) return;
    const timer = setTimeout(() => setResyncAt(null), AWAIT_SYNC_MS);
    return () => clearTimeout(timer);
  }, [resyncAt]);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), LIVE_REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [live, refetch]);

  async function onAdd(values: { kind: TrackedSourceKind; name: string }) {
    const answer = await addSource({ ecosystem: slug, kind: values.kind, name: values.name.trim() });
    if (answer.error) return void message.error(t('ecosystem.actionFailed', { message: apiMessage(answer.error) }));
    const added = answer.data!.addTrackedSource;
    void message.success(t(added.created ? 'ecosystem.added' : 'ecosystem.alreadyTracked', { name: added.trackedSource.name }));
    form.resetFields(['name']);
    refresh();
  }

  async function onPause(source: SourceRow, paused: boolean) {
    const answer = await setPaused({ ecosystem: slug, kind: source.kind, name: source.name, paused });
    if (answer.error) return void message.error(t('ecosystem.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t(paused ? 'ecosystem.pausedDone' : 'ecosystem.resumedDone', { name: source.name }));
    refresh();
  }

  async function onRemove(source: SourceRow) {
    const answer = await removeSource({ ecosystem: slug, kind: source.kind, name: source.name });
    if (answer.error) return void message.error(t('ecosystem.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('ecosystem.removedDone', { name: source.name }));
    refresh();
  }

  async function onResync() {
    const answer = await startSync({ ecosystem: slug });
    if (answer.error) return void message.error(t('ecosystem.actionFailed', { message: apiMessage(answer.error) }));
    const { status, jobId } = answer.data!.startSync;
    setResyncAt(Date.now());
    void message.info(t(`ecosystem.resyncStatus.${status}`, { jobId }));
    refresh();
  }

  if (result.error && !data) return <QueryError error={result.error} onRetry={refresh} />;
  if (!data) return <QueryState fetching empty emptyText="" children={null} />;
  if (!data.ecosystem) return <Alert type="warning" showIcon title={t('ecosystem.notFound', { slug })} />;

  const sourceColumns: TableColumnsType<SourceRow> = [
    { title: t('ecosystem.columns.kind'), dataIndex: 'kind', render: (kind: TrackedSourceKind) => t(`ecosystem.kind.${kind}`) },
    { title: t('ecosystem.columns.name'), dataIndex: 'name' },
    {
      title: t('ecosystem.columns.state'),
      dataIndex: 'paused',
      render: (paused: boolean) => (paused ? <Tag color="orange">{t('ecosystem.paused')}</Tag> : <Tag color="green">{t('ecosystem.active')}</Tag>),
    },
    { title: t('ecosystem.columns.since'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at, language) },
    {
      title: t('ecosystem.columns.actions'),
      key: 'actions',
      render: (_, source) => (
        <Space>
          <Button size="small" loading={pauseState.fetching} onClick={() => void onPause(source, !source.paused)}>
            {t(source.paused ? 'ecosystem.resume' : 'ecosystem.pause')}
          </Button>
          <Popconfirm title={t('ecosystem.removeConfirm', { name: source.name })} onConfirm={() => onRemove(source)}>
            <Button size="small" danger loading={removeState.fetching}>
              {t('ecosystem.remove')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const repositoryColumns: TableColumnsType<RepositoryRow> = [
    {
      title: t('ecosystem.columns.repository'),
      dataIndex: 'fullName',
      render: (name: string, row) => (
        <Space>
          {name}
          {row.isArchived && <Tag>{t('ecosystem.archived')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('ecosystem.columns.sync'),
      key: 'sync',
      render: (_, row) => {
        const health = row.syncHealth;
        if (health.runningResources > 0) return <Tag icon={<SyncOutlined spin />} color="processing">{t('ecosystem.running', { count: health.runningResources })}</Tag>;
        if (health.failingResources > 0) return <Tag color="error">{t('ecosystem.failing', { count: health.failingResources })}</Tag>;
        if (health.lastStartedAt === null) return <Tag>{t('ecosystem.neverSynced')}</Tag>;
        return <Tag color="success">{t('ecosystem.idle')}</Tag>;
      },
    },
    { title: t('ecosystem.columns.lastSuccess'), key: 'lastSuccess', render: (_, row) => formatInstant(row.syncHealth.lastSuccessAt, language) },
    { title: t('ecosystem.columns.cursorAge'), key: 'cursorAge', render: (_, row) => formatAge(row.syncHealth.cursorAgeSeconds, language) },
    { title: t('ecosystem.columns.requests'), key: 'requests', align: 'right', render: (_, row) => row.syncHealth.requests.toLocaleString(language) },
    { title: t('ecosystem.columns.share304'), key: 'share304', align: 'right', render: (_, row) => formatShare(row.syncHealth.share304, language) },
    { title: t('ecosystem.columns.errors'), key: 'errors', align: 'right', render: (_, row) => row.syncHealth.failingResources },
  ];

  const resourceColumns: TableColumnsType<ResourceRow> = [
    { title: t('ecosystem.columns.resource'), dataIndex: 'resource' },
    {
      title: t('ecosystem.columns.status'),
      dataIndex: 'status',
      render: (status: ResourceRow['status']) => (
        <Tag color={status === 'FAILED' ? 'error' : status === 'RUNNING' ? 'processing' : 'default'}>{t(`ecosystem.syncStatus.${status}`)}</Tag>
      ),
    },
    { title: t('ecosystem.columns.lastStarted'), dataIndex: 'lastStartedAt', render: (at: string | null) => formatInstant(at, language) },
    { title: t('ecosystem.columns.lastSuccess'), dataIndex: 'lastSuccessAt', render: (at: string | null) => formatInstant(at, language) },
    { title: t('ecosystem.columns.cursorAge'), dataIndex: 'cursorAgeSeconds', render: (age: number | null) => formatAge(age, language) },
    { title: t('ecosystem.columns.requests'), dataIndex: 'requests', align: 'right' },
    { title: t('ecosystem.columns.share304'), dataIndex: 'share304', align: 'right', render: (share: number | null) => formatShare(share, language) },
    { title: t('ecosystem.columns.items'), dataIndex: 'items', align: 'right' },
    { title: t('ecosystem.columns.lastError'), dataIndex: 'lastError', render: (text: string | null) => text ?? '—' },
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {result.error && <QueryError error={result.error} onRetry={refresh} />}
      <Card
        title={t('ecosystem.sources')}
        extra={
          <Space>
            <Typography.Text type="secondary">{t('ecosystem.repositoryCount', { count: data.ecosystem.repositoryCount })}</Typography.Text>
            <Button type="primary" icon={<SyncOutlined />} loading={syncState.fetching} onClick={() => void onResync()}>
              {t('ecosystem.resync')}
            </Button>
          </Space>
        }
      >
        <Table<SourceRow>
          rowKey="id"
          size="small"
          columns={sourceColumns}
          dataSource={data.ecosystem.trackedSources}
          pagination={data.ecosystem.trackedSources.length > PAGE_SIZE ? { pageSize: PAGE_SIZE } : false}
          locale={{ emptyText: t('ecosystem.noSources') }}
        />
        <Form form={form} layout="inline" initialValues={{ kind: 'ORGANIZATION' }} onFinish={(values) => void onAdd(values)} style={{ marginTop: 16 }}>
          <Form.Item name="kind" label={t('ecosystem.addKind')}>
            <Select style={{ width: 140 }} options={KINDS.map((kind) => ({ value: kind, label: t(`ecosystem.kind.${kind}`) }))} />
          </Form.Item>
          <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t('ecosystem.addNameRequired') }]}>
            <Input placeholder={t('ecosystem.addName')} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" loading={addState.fetching}>
              {t('ecosystem.add')}
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('ecosystem.pauseRemoveNote')}
        </Typography.Paragraph>
      </Card>
      <Card
        title={t('ecosystem.repositories')}
        extra={
          <Space>
            {live && <Typography.Text type="secondary">{t('ecosystem.live', { seconds: LIVE_REFRESH_SECONDS })}</Typography.Text>}
            <Button icon={<ReloadOutlined />} loading={result.fetching} onClick={refresh}>
              {t('ecosystem.refresh')}
            </Button>
          </Space>
        }
      >
        <Table<RepositoryRow>
          rowKey="id"
          size="small"
          columns={repositoryColumns}
          dataSource={data.repositories}
          loading={result.fetching && result.operation?.variables.offset !== (page - 1) * PAGE_SIZE}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data.ecosystem.repositoryCount,
            hideOnSinglePage: true,
            showSizeChanger: false,
            onChange: setPage,
          }}
          locale={{ emptyText: t('ecosystem.noRepositories') }}
          expandable={{
            expandedRowRender: (row) => <RepositoryResources id={row.id} live={live} columns={resourceColumns} />,
          }}
        />
      </Card>
    </Space>
  );
}

/**
 * The per-resource sync health of one repository, asked for when its row is opened (`RepositorySyncResources`),
 * and again every {@link LIVE_REFRESH_SECONDS} s while `live`.
 */
function RepositoryResources({ id, live, columns }: { id: string; live: boolean; columns: TableColumnsType<ResourceRow> }) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: RepositorySyncResourcesQuery, variables: { ref: id } });

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), LIVE_REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [live, refetch]);

  if (result.error && !result.data) return <QueryError error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  return (
    <Table<ResourceRow>
      rowKey="resource"
      size="small"
      columns={columns}
      dataSource={result.data?.repository.syncHealth.resources ?? []}
      loading={result.fetching && !result.data}
      pagination={false}
      locale={{ emptyText: t('ecosystem.noResources') }}
    />
  );
}
