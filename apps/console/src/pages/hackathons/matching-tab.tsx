import { PlayCircleOutlined, PushpinOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Flex, Form, InputNumber, Modal, Popconfirm, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { HackathonMatchingQuery as MatchingData, MatchingRunDetailQuery as RunData, MatchingRunStatus } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { apiMessage } from './hackathons-page.js';
import {
  HackathonMatchingQuery,
  MatchingRunDetailQuery,
  PinAllocationMutation,
  PublishMatchingRunMutation,
  StartMatchingRunMutation,
  UnpinAllocationMutation,
} from './hackathons.operations.js';

type RunRow = NonNullable<MatchingData['hackathon']>['matchingRuns'][number];
type ExplanationRow = NonNullable<RunData['matchingRun']>['explanations'][number];

/** Seconds between refreshes while a run is queued or running. */
export const RUN_REFRESH_SECONDS = 2;

const RUN_COLOR: Record<MatchingRunStatus, string> = {
  QUEUED: 'default',
  RUNNING: 'processing',
  DRAFT: 'blue',
  PUBLISHED: 'success',
  SUPERSEDED: 'default',
  FAILED: 'error',
};

/** True while a run waits for or is in the worker. */
export function inProgress(status: MatchingRunStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

/**
 * The run to show first: the newest draft, else the published run, else the newest run (runs come newest
 * first); null without runs.
 */
export function defaultRun(runs: readonly { id: string; status: MatchingRunStatus }[]): string | null {
  return (runs.find((run) => run.status === 'DRAFT') ?? runs.find((run) => run.status === 'PUBLISHED') ?? runs[0])?.id ?? null;
}

/**
 * Matching: start a run (the worker solves it; the table refreshes every {@link RUN_REFRESH_SECONDS} s while
 * one is queued or running), pick a run, read its draft per team (what each team received and why not
 * more) and publish it.
 */
export function MatchingTab({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { message } = App.useApp();
  const [result, refetch] = useQuery({ query: HackathonMatchingQuery, variables: { slug } });
  const [startState, startRun] = useMutation(StartMatchingRunMutation);
  const [picked, setPicked] = useState<string | null>(null);
  const hackathon = result.data?.hackathon;
  const runs = hackathon?.matchingRuns ?? [];
  const running = runs.some((run) => inProgress(run.status));
  const selected = picked && runs.some((run) => run.id === picked) ? picked : defaultRun(runs);
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), RUN_REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [running, refetch]);

  async function onStart() {
    if (!hackathon) return;
    const answer = await startRun({ hackathonId: hackathon.id });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    const { created, run } = answer.data!.startMatchingRun;
    void message.info(t(created ? 'hackathons.matching.started' : 'hackathons.matching.alreadyRunning'));
    setPicked(run.id);
    refresh();
  }

  const columns: TableColumnsType<RunRow> = [
    { title: t('hackathons.matching.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at, language) },
    { title: t('hackathons.columns.status'), dataIndex: 'status', render: (status: MatchingRunStatus) => <Tag color={RUN_COLOR[status]}>{t(`hackathons.matching.status.${status}`)}</Tag> },
    {
      title: t('hackathons.matching.progress'),
      dataIndex: 'progress',
      width: 200,
      render: (progress: number, row) => <Progress percent={progress} size="small" status={row.status === 'FAILED' ? 'exception' : inProgress(row.status) ? 'active' : undefined} />,
    },
    {
      title: t('hackathons.matching.summary'),
      key: 'summary',
      render: (_, row) =>
        row.error ? (
          <Typography.Text type="danger">{row.error}</Typography.Text>
        ) : row.stats ? (
          t('hackathons.matching.stats', { teams: row.stats.teams, allocations: row.stats.allocations, units: row.stats.unitsAllocated, pins: row.stats.pins, ms: row.stats.solveMs })
        ) : (
          '—'
        ),
    },
    { title: t('hackathons.matching.publishedAt'), dataIndex: 'publishedAt', render: (at: string | null) => (at ? formatInstant(at, language) : '—') },
  ];

  return (
    <QueryState fetching={result.fetching} error={result.error} empty={!hackathon} emptyText={t('hackathons.notFound', { slug })} onRetry={refresh}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Flex justify="space-between" align="center" gap={16} wrap>
          <Typography.Text type="secondary">{running ? t('hackathons.matching.live', { seconds: RUN_REFRESH_SECONDS }) : t('hackathons.matching.help')}</Typography.Text>
          <Button type="primary" icon={<PlayCircleOutlined />} loading={startState.fetching} disabled={running} onClick={() => void onStart()}>
            {t('hackathons.matching.start')}
          </Button>
        </Flex>
        <Table<RunRow>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={runs}
          pagination={false}
          locale={{ emptyText: t('hackathons.matching.noRuns') }}
          rowSelection={{ type: 'radio', selectedRowKeys: selected ? [selected] : [], onChange: (keys) => setPicked(String(keys[0])), columnTitle: t('hackathons.matching.show'), columnWidth: 64 }}
          onRow={(row) => ({ onClick: () => setPicked(row.id) })}
        />
        {selected && (
          <RunDetail
            key={selected}
            run={runs.find((run) => run.id === selected)!}
            resources={hackathon?.resources ?? []}
            onPublished={refresh}
            onNewRun={(id) => {
              setPicked(id);
              refresh();
            }}
          />
        )}
      </Space>
    </QueryState>
  );
}

function RunDetail({
  run,
  resources,
  onPublished,
  onNewRun,
}: {
  run: RunRow;
  resources: readonly { id: string; name: string }[];
  onPublished: () => void;
  onNewRun: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  // every team's explanation shows at first; an organiser may fold them away one by one
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const { message } = App.useApp();
  const finished = !inProgress(run.status) && run.status !== 'FAILED';
  // the allocations are asked for once the run has them (a queued or running run has none yet)
  const [result, refetch] = useQuery({ query: MatchingRunDetailQuery, variables: { id: run.id }, pause: !finished });
  const [publishState, publish] = useMutation(PublishMatchingRunMutation);
  const [pinState, pin] = useMutation(PinAllocationMutation);
  const [unpinState, unpin] = useMutation(UnpinAllocationMutation);
  const [pinning, setPinning] = useState<ExplanationRow | null>(null);
  const [pinForm] = Form.useForm<{ resourceId: string; units: number }>();
  const pinResource = Form.useWatch('resourceId', pinForm);
  const pinnedNow = pinning?.received.some((item) => item.pinned && item.resourceId === pinResource) ?? false;
  const names = useMemo(() => new Map(resources.map((resource) => [resource.id, resource.name])), [resources]);
  const name = (id: string) => names.get(id) ?? t('hackathons.matching.removedResource');
  const explanations = result.data?.matchingRun?.explanations ?? [];

  async function onPublish() {
    const answer = await publish({ id: run.id });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.matching.published', { count: answer.data!.publishMatchingRun.notified }));
    onPublished();
    refetch({ requestPolicy: 'network-only' });
  }

  async function onPin(values: { resourceId: string; units: number }) {
    if (!pinning) return;
    const answer = await pin({ teamId: pinning.teamId, resourceId: values.resourceId, units: values.units });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.info(t('hackathons.matching.pinnedResolving', { team: pinning.teamName }));
    setPinning(null);
    onNewRun(answer.data!.pinAllocation.run.id);
  }

  async function onUnpin() {
    if (!pinning || !pinResource) return;
    const answer = await unpin({ teamId: pinning.teamId, resourceId: pinResource });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.info(t('hackathons.matching.unpinnedResolving', { team: pinning.teamName }));
    setPinning(null);
    onNewRun(answer.data!.unpinAllocation.run.id);
  }

  function openPin(row: ExplanationRow) {
    const first = row.received[0] ?? row.shortfalls[0];
    pinForm.setFieldsValue({ resourceId: first?.resourceId ?? resources[0]?.id, units: row.received[0]?.units ?? 0 });
    setPinning(row);
  }

  const columns: TableColumnsType<ExplanationRow> = [
    { title: t('hackathons.columns.team'), dataIndex: 'teamName', width: 180 },
    {
      title: t('hackathons.matching.received'),
      key: 'received',
      render: (_, row) =>
        row.received.length === 0
          ? t('hackathons.matching.nothing')
          : row.received.map((item) => (
              <Tag key={item.resourceId} color={item.pinned ? 'gold' : 'green'}>
                {t('hackathons.matching.receivedItem', { resource: name(item.resourceId), units: item.units, rank: item.rank })}
                {item.pinned ? ` · ${t('hackathons.matching.pinned')}` : ''}
              </Tag>
            )),
    },
    {
      title: t('hackathons.matching.shortfalls'),
      key: 'shortfalls',
      render: (_, row) =>
        row.shortfalls.length === 0
          ? '—'
          : row.shortfalls.map((item) => (
              <div key={item.resourceId}>
                {/* an ineligible candidate is wanted for nothing: it has no units to compare */}
                {item.wanted === 0
                  ? t('hackathons.matching.ineligibleItem', { resource: name(item.resourceId), rank: item.rank })
                  : t('hackathons.matching.shortfallItem', { resource: name(item.resourceId), rank: item.rank, got: item.got, wanted: item.wanted })}{' '}
                <Tag color="orange">{t(`hackathons.matching.reason.${item.reason}`)}</Tag>
              </div>
            )),
    },
    ...(run.status === 'DRAFT'
      ? [
          {
            title: t('hackathons.matching.change'),
            key: 'pin',
            width: 120,
            render: (_: unknown, row: ExplanationRow) => (
              <Button size="small" icon={<PushpinOutlined />} onClick={() => openPin(row)}>
                {t('hackathons.matching.pin')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      size="small"
      title={t('hackathons.matching.runTitle', { status: t(`hackathons.matching.status.${run.status}`), at: formatInstant(run.createdAt, i18n.language) })}
      extra={
        run.status === 'DRAFT' && (
          <Popconfirm
            title={t('hackathons.matching.publishConfirm')}
            description={t('hackathons.matching.publishHelp', { count: explanations.length })}
            okText={t('hackathons.matching.publish')}
            cancelText={t('hackathons.cancel')}
            onConfirm={() => void onPublish()}
          >
            <Button type="primary" icon={<SendOutlined />} loading={publishState.fetching}>
              {t('hackathons.matching.publish')}
            </Button>
          </Popconfirm>
        )
      }
    >
      {run.status === 'FAILED' && <Alert type="error" showIcon title={t('hackathons.matching.failed', { attempts: run.attempts })} description={run.error ?? undefined} />}
      {inProgress(run.status) && <Progress percent={run.progress} status="active" />}
      {finished && (
        <>
          {run.stats && (
            <Descriptions size="small" column={{ xs: 2, md: 4 }} style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('hackathons.matching.teams')}>{run.stats.teams}</Descriptions.Item>
              <Descriptions.Item label={t('hackathons.matching.candidates')}>{run.stats.candidates}</Descriptions.Item>
              <Descriptions.Item label={t('hackathons.matching.allocations')}>{run.stats.allocations}</Descriptions.Item>
              <Descriptions.Item label={t('hackathons.matching.units')}>{run.stats.unitsAllocated}</Descriptions.Item>
            </Descriptions>
          )}
          {result.error ? (
            <QueryError error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
          ) : (
            <Table<ExplanationRow>
              rowKey="teamId"
              size="small"
              loading={result.fetching}
              columns={columns}
              dataSource={explanations}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
              locale={{ emptyText: t('hackathons.matching.noExplanations') }}
              expandable={{
                expandedRowRender: (row) => (
                  <Typography.Paragraph style={{ margin: 0 }}>
                    <Typography.Text type="secondary">{t('hackathons.matching.apiText')}</Typography.Text> <span>{row.text}</span>
                  </Typography.Paragraph>
                ),
                expandedRowKeys: explanations.filter((row) => !folded.has(row.teamId)).map((row) => row.teamId),
                onExpand: (expanded, row) =>
                  setFolded((current) => {
                    const next = new Set(current);
                    if (expanded) next.delete(row.teamId);
                    else next.add(row.teamId);
                    return next;
                  }),
                columnTitle: t('hackathons.matching.explanation'),
              }}
            />
          )}
        </>
      )}
      <Modal
        open={pinning !== null}
        title={t('hackathons.matching.pinTitle', { team: pinning?.teamName ?? '' })}
        okText={t('hackathons.matching.pin')}
        cancelText={t('hackathons.cancel')}
        confirmLoading={pinState.fetching}
        onOk={() => pinForm.submit()}
        onCancel={() => setPinning(null)}
        forceRender
        footer={(buttons) => (
          <>
            {pinnedNow && (
              <Button danger loading={unpinState.fetching} onClick={() => void onUnpin()}>
                {t('hackathons.matching.unpin')}
              </Button>
            )}
            {buttons}
          </>
        )}
      >
        <Typography.Paragraph type="secondary">{t('hackathons.matching.pinHelp')}</Typography.Paragraph>
        <Form form={pinForm} name="pin" layout="vertical" onFinish={(values) => void onPin(values)}>
          <Form.Item name="resourceId" label={t('hackathons.columns.resource')} rules={[{ required: true }]}>
            <Select options={resources.map((resource) => ({ value: resource.id, label: resource.name }))} />
          </Form.Item>
          <Form.Item name="units" label={t('hackathons.matching.units')} extra={t('hackathons.matching.unitsHelp')} rules={[{ required: true }]}>
            <InputNumber min={0} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
