import { DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Flex, Form, Input, InputNumber, Popconfirm, Progress, Row, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery } from 'urql';
import { QueryState } from '../../components/query-state.js';
import type {
  HackathonJudgingQuery as JudgingData,
  HackathonResultsQuery as ResultsData,
  HackathonRetentionQuery as RetentionData,
  HackathonSubmissionsQuery as SubmissionsData,
} from '../../graphql/generated/graphql.js';
import { formatInstant, formatShare } from '../../lib/format.js';
import { apiMessage } from './hackathons-page.js';
import {
  AddJudgeMutation,
  AutoAssignJudgesMutation,
  CreateJudgingCriterionMutation,
  DeleteJudgingCriterionMutation,
  HackathonJudgingQuery,
  HackathonResultsQuery,
  HackathonRetentionQuery,
  HackathonSubmissionsQuery,
  MemberForLoginQuery,
  RemoveJudgeMutation,
  UnassignJudgeMutation,
} from './hackathons.operations.js';
import { AssignJudgeModal, EditCriterionModal } from './judging-editors.js';
import { assignmentRows, type AssignmentRow } from './judging-form.js';

type SubmissionRow = NonNullable<SubmissionsData['hackathon']>['submissions'][number];
type CriterionRow = NonNullable<JudgingData['hackathon']>['judgingCriteria'][number];
type JudgeRow = NonNullable<JudgingData['hackathon']>['judgingProgress']['judges'][number];
type ResultRow = NonNullable<ResultsData['hackathon']>['judgingResults']['submissions'][number];
type RetentionRow = NonNullable<RetentionData['hackathon']>['retention']['stillContributing'][number];

const pagination = { pageSize: 20, hideOnSinglePage: true, showSizeChanger: false } as const;

/** A share 0–1 as a whole percentage for antd's Progress (null: nothing to complete yet). */
export function percent(share: number | null | undefined): number {
  return share == null ? 0 : Math.round(share * 100);
}

/** Submissions: one per team, with its repository, links and pull requests. */
export function SubmissionsTab({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const [result, refetch] = useQuery({ query: HackathonSubmissionsQuery, variables: { slug } });
  const rows = result.data?.hackathon?.submissions ?? [];
  const columns: TableColumnsType<SubmissionRow> = [
    { title: t('hackathons.columns.team'), key: 'team', render: (_, row) => row.team.name },
    { title: t('hackathons.judging.submissionTitle'), dataIndex: 'title' },
    {
      title: t('hackathons.judging.repository'),
      dataIndex: 'repositoryUrl',
      render: (url: string | null) => (url ? <Typography.Link href={url} target="_blank" rel="noreferrer">{url}</Typography.Link> : '—'),
    },
    {
      title: t('hackathons.judging.pullRequests'),
      key: 'pullRequests',
      render: (_, row) =>
        row.pullRequests.length === 0
          ? '—'
          : row.pullRequests.map((pull) => (
              <Tag key={pull.id} color={pull.merged ? 'purple' : 'default'}>
                <a href={pull.url} target="_blank" rel="noreferrer">{`${pull.repositoryFullName}#${pull.number}`}</a>
              </Tag>
            )),
    },
    { title: t('hackathons.judging.submittedAt'), dataIndex: 'submittedAt', render: (at: string) => formatInstant(at, i18n.language) },
  ];
  return (
    <QueryState fetching={result.fetching} error={result.error} empty={rows.length === 0} emptyText={t('hackathons.judging.noSubmissions')} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
      <Table<SubmissionRow>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={pagination}
        expandable={{ expandedRowRender: (row) => <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{row.description || '—'}</Typography.Paragraph> }}
      />
    </QueryState>
  );
}

/**
 * Judging: criteria (add, edit, delete), judges (add one by GitHub login, remove one), who judges which
 * submission (assign or unassign by hand, or automatically) and progress per judge.
 */
export function JudgingTab({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [result, refetch] = useQuery({ query: HackathonJudgingQuery, variables: { slug } });
  const [, addJudge] = useMutation(AddJudgeMutation);
  const [criterionState, createCriterion] = useMutation(CreateJudgingCriterionMutation);
  const [assignState, autoAssign] = useMutation(AutoAssignJudgesMutation);
  const [, deleteCriterion] = useMutation(DeleteJudgingCriterionMutation);
  const [, removeJudge] = useMutation(RemoveJudgeMutation);
  const [, unassignJudge] = useMutation(UnassignJudgeMutation);
  const [editingCriterion, setEditingCriterion] = useState<CriterionRow | null>(null);
  const [assigning, setAssigning] = useState(false);
  const [addingJudge, setAddingJudge] = useState(false);
  const [judgeForm] = Form.useForm<{ login: string }>();
  const [criterionForm] = Form.useForm<{ name: string; weight: number; scaleMin?: number; scaleMax?: number }>();
  const [perSubmission, setPerSubmission] = useState(2);
  const hackathon = result.data?.hackathon;
  const progress = hackathon?.judgingProgress;
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const assignments = useMemo(() => assignmentRows(hackathon?.judgeAssignments ?? [], hackathon?.submissions ?? []), [hackathon]);
  const judgeChoices = (progress?.judges ?? []).flatMap((judge) => (judge.member ? [{ memberId: judge.member.id, login: judge.member.login ?? judge.member.id }] : []));
  const submissionChoices = (hackathon?.submissions ?? []).map((submission) => ({ id: submission.id, title: submission.title, teamName: submission.team.name }));

  async function onAddJudge({ login }: { login: string }) {
    setAddingJudge(true);
    try {
      const found = await client.query(MemberForLoginQuery, { login: login.trim() }, { requestPolicy: 'network-only' }).toPromise();
      if (found.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(found.error) }));
      const member = found.data?.memberForLogin;
      if (!member) return void message.error(t('hackathons.judging.noMember', { login: login.trim() }));
      const answer = await addJudge({ hackathon: slug, member: member.id });
      if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
      void message.success(t('hackathons.judging.judgeAdded', { login: member.login ?? login }));
      judgeForm.resetFields();
      refresh();
    } finally {
      setAddingJudge(false);
    }
  }

  async function onAddCriterion(values: { name: string; weight: number; scaleMin?: number; scaleMax?: number }) {
    const answer = await createCriterion({ hackathon: slug, name: values.name.trim(), weight: values.weight, scaleMin: values.scaleMin ?? undefined, scaleMax: values.scaleMax ?? undefined });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.judging.criterionAdded', { name: answer.data!.createJudgingCriterion.name }));
    criterionForm.resetFields();
    refresh();
  }

  async function onAutoAssign() {
    const answer = await autoAssign({ hackathon: slug, judgesPerSubmission: perSubmission });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    const { created, short } = answer.data!.autoAssignJudges;
    void message.info(t('hackathons.judging.assigned', { count: created.length, short: short.length }));
    refresh();
  }

  async function onDeleteCriterion(row: CriterionRow) {
    const answer = await deleteCriterion({ id: row.id });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.judging.criterionDeleted', { name: row.name }));
    refresh();
  }

  async function onRemoveJudge(row: JudgeRow) {
    const login = row.member?.login ?? row.judgeId;
    const answer = await removeJudge({ hackathon: slug, member: row.member?.id ?? row.judgeId });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.judging.judgeRemoved', { login }));
    refresh();
  }

  async function onUnassign(row: AssignmentRow) {
    const answer = await unassignJudge({ hackathon: slug, judge: row.memberId ?? row.judgeId, submission: row.submissionId });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.judging.judgeUnassigned', { login: row.judgeLabel, title: row.submissionTitle }));
    refresh();
  }

  const criterionColumns: TableColumnsType<CriterionRow> = [
    { title: t('hackathons.judging.criterion'), dataIndex: 'name' },
    { title: t('hackathons.judging.weight'), dataIndex: 'weight', align: 'right' },
    { title: t('hackathons.judging.scale'), key: 'scale', render: (_, row) => `${row.scaleMin}–${row.scaleMax}` },
    { title: t('hackathons.form.description'), dataIndex: 'description', render: (text: string) => text || '—' },
    {
      title: t('hackathons.actions'),
      key: 'actions',
      render: (_, row) => (
        <Space size={4}>
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditingCriterion(row)}>
            {t('hackathons.edit')}
          </Button>
          <Popconfirm
            title={t('hackathons.judging.deleteCriterionConfirm', { name: row.name })}
            okText={t('hackathons.delete')}
            cancelText={t('hackathons.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => onDeleteCriterion(row)}
          >
            <Button size="small" type="link" danger icon={<DeleteOutlined />}>
              {t('hackathons.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];
  const judgeColumns: TableColumnsType<JudgeRow> = [
    { title: t('hackathons.judging.judge'), key: 'judge', render: (_, row) => row.member?.login ?? row.judgeId },
    { title: t('hackathons.judging.assignedCount'), dataIndex: 'assigned', align: 'right' },
    { title: t('hackathons.judging.fullyScored'), dataIndex: 'fullyScored', align: 'right' },
    { title: t('hackathons.judging.partiallyScored'), dataIndex: 'partiallyScored', align: 'right' },
    { title: t('hackathons.judging.notStarted'), dataIndex: 'notStarted', align: 'right' },
    { title: t('hackathons.judging.completion'), dataIndex: 'completion', width: 200, render: (share: number | null) => (share == null ? '—' : <Progress percent={percent(share)} size="small" />) },
    {
      title: t('hackathons.actions'),
      key: 'actions',
      render: (_, row) => (
        <Popconfirm
          title={t('hackathons.judging.removeJudgeConfirm', { login: row.member?.login ?? row.judgeId })}
          okText={t('hackathons.judging.removeJudge')}
          cancelText={t('hackathons.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => onRemoveJudge(row)}
        >
          <Button size="small" type="link" danger icon={<DeleteOutlined />}>
            {t('hackathons.judging.removeJudge')}
          </Button>
        </Popconfirm>
      ),
    },
  ];
  const assignmentColumns: TableColumnsType<AssignmentRow> = [
    { title: t('hackathons.judging.submission'), dataIndex: 'submissionTitle' },
    { title: t('hackathons.columns.team'), dataIndex: 'teamName' },
    { title: t('hackathons.judging.judge'), dataIndex: 'judgeLabel' },
    {
      title: t('hackathons.actions'),
      key: 'actions',
      render: (_, row) => (
        <Popconfirm
          title={t('hackathons.judging.unassignConfirm', { login: row.judgeLabel, title: row.submissionTitle })}
          okText={t('hackathons.judging.unassign')}
          cancelText={t('hackathons.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => onUnassign(row)}
        >
          <Button size="small" type="link" danger icon={<DeleteOutlined />}>
            {t('hackathons.judging.unassign')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <QueryState fetching={result.fetching} error={result.error} empty={!hackathon} emptyText={t('hackathons.notFound', { slug })} onRetry={refresh}>
      {progress && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={t('hackathons.judging.assignments')} value={progress.assignments} />
            </Col>
            <Col span={6}>
              <Statistic title={t('hackathons.judging.fullyScored')} value={progress.fullyScored} />
            </Col>
            <Col span={6}>
              <Statistic title={t('hackathons.judging.partiallyScored')} value={progress.partiallyScored} />
            </Col>
            <Col span={6}>
              <Statistic title={t('hackathons.judging.completion')} value={progress.completion == null ? '—' : formatShare(progress.completion, i18n.language)} />
            </Col>
          </Row>
          <Card size="small" title={t('hackathons.judging.criteria')}>
            <Table<CriterionRow> rowKey="id" size="small" columns={criterionColumns} dataSource={hackathon.judgingCriteria} pagination={pagination} locale={{ emptyText: t('hackathons.judging.noCriteria') }} />
            <Form form={criterionForm} name="criterion" layout="inline" initialValues={{ weight: 1 }} onFinish={(values) => void onAddCriterion(values)} style={{ marginTop: 12 }}>
              <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t('hackathons.judging.criterionRequired') }]}>
                <Input placeholder={t('hackathons.judging.criterion')} />
              </Form.Item>
              <Form.Item name="weight" label={t('hackathons.judging.weight')} rules={[{ required: true }]}>
                <InputNumber min={0.01} step={0.5} />
              </Form.Item>
              <Form.Item name="scaleMin" label={t('hackathons.judging.scaleMin')}>
                <InputNumber />
              </Form.Item>
              <Form.Item name="scaleMax" label={t('hackathons.judging.scaleMax')}>
                <InputNumber />
              </Form.Item>
              <Form.Item>
                <Button htmlType="submit" icon={<PlusOutlined />} loading={criterionState.fetching}>
                  {t('hackathons.add')}
                </Button>
              </Form.Item>
            </Form>
          </Card>
          <Card
            size="small"
            title={t('hackathons.judging.judges')}
            extra={
              <Space>
                <Typography.Text type="secondary">{t('hackathons.judging.perSubmission')}</Typography.Text>
                <InputNumber min={1} max={20} value={perSubmission} onChange={(value) => setPerSubmission(value ?? 1)} style={{ width: 64 }} />
                <Button icon={<TeamOutlined />} loading={assignState.fetching} onClick={() => void onAutoAssign()}>
                  {t('hackathons.judging.autoAssign')}
                </Button>
              </Space>
            }
          >
            <Table<JudgeRow> rowKey="judgeId" size="small" columns={judgeColumns} dataSource={progress.judges} pagination={pagination} locale={{ emptyText: t('hackathons.judging.noJudges') }} />
            <Form form={judgeForm} name="judge" layout="inline" onFinish={(values) => void onAddJudge(values)} style={{ marginTop: 12 }}>
              <Form.Item name="login" rules={[{ required: true, whitespace: true, message: t('hackathons.judging.loginRequired') }]}>
                <Input placeholder={t('hackathons.judging.login')} />
              </Form.Item>
              <Form.Item>
                <Button htmlType="submit" icon={<PlusOutlined />} loading={addingJudge}>
                  {t('hackathons.judging.addJudge')}
                </Button>
              </Form.Item>
            </Form>
          </Card>
          <Card
            size="small"
            title={t('hackathons.judging.assignmentList')}
            extra={
              <Button
                icon={<UserAddOutlined />}
                disabled={judgeChoices.length === 0 || submissionChoices.length === 0}
                title={judgeChoices.length === 0 || submissionChoices.length === 0 ? t('hackathons.judging.assignNeeds') : undefined}
                onClick={() => setAssigning(true)}
              >
                {t('hackathons.judging.assignJudge')}
              </Button>
            }
          >
            {(judgeChoices.length === 0 || submissionChoices.length === 0) && <Typography.Paragraph type="secondary">{t('hackathons.judging.assignNeeds')}</Typography.Paragraph>}
            <Table<AssignmentRow> rowKey="key" size="small" columns={assignmentColumns} dataSource={assignments} pagination={pagination} locale={{ emptyText: t('hackathons.judging.noAssignments') }} />
          </Card>
        </Space>
      )}
      <EditCriterionModal criterion={editingCriterion} onClose={() => setEditingCriterion(null)} onSaved={refresh} />
      <AssignJudgeModal open={assigning} slug={slug} judges={judgeChoices} submissions={submissionChoices} onClose={() => setAssigning(false)} onSaved={refresh} />
    </QueryState>
  );
}

/** Results: rank, final score and means per submission, raw or normalised per judge (z-scores), ties explained. */
export function ResultsTab({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const [normalized, setNormalized] = useState(false);
  const [result, refetch] = useQuery({ query: HackathonResultsQuery, variables: { slug, normalized } });
  const rows = result.data?.hackathon?.judgingResults.submissions ?? [];
  const score = (value: number | null) => (value == null ? '—' : value.toLocaleString(i18n.language, { maximumFractionDigits: 2 }));
  const columns: TableColumnsType<ResultRow> = [
    { title: t('hackathons.judging.rank'), dataIndex: 'rank', align: 'right', render: (rank: number | null) => rank ?? '—' },
    { title: t('hackathons.columns.team'), dataIndex: 'teamName' },
    { title: t('hackathons.judging.submissionTitle'), dataIndex: 'title' },
    { title: t('hackathons.judging.finalScore'), dataIndex: 'finalScore', align: 'right', render: score },
    { title: t('hackathons.judging.rawMean'), dataIndex: 'rawMean', align: 'right', render: score },
    { title: t('hackathons.judging.normalizedMean'), dataIndex: 'normalizedMean', align: 'right', render: score },
    { title: t('hackathons.judging.judgesCompleted'), dataIndex: 'judgesCompleted', align: 'right' },
    { title: t('hackathons.judging.tie'), key: 'tie', render: (_, row) => (row.tie ? <Typography.Text type="secondary">{row.tie.explanation}</Typography.Text> : '—') },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex gap={8} align="center">
        <Switch checked={normalized} onChange={setNormalized} aria-label={t('hackathons.judging.normalized')} />
        <Typography.Text>{t('hackathons.judging.normalized')}</Typography.Text>
      </Flex>
      <QueryState fetching={result.fetching} error={result.error} empty={rows.length === 0} emptyText={t('hackathons.judging.noResults')} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Table<ResultRow> rowKey="submissionId" size="small" columns={columns} dataSource={rows} pagination={pagination} />
      </QueryState>
    </Space>
  );
}

/** Retention: participants, first-time contributors, and how many still contribute N days after the end. */
export function RetentionTab({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const [result, refetch] = useQuery({ query: HackathonRetentionQuery, variables: { slug } });
  const retention = result.data?.hackathon?.retention;
  const columns: TableColumnsType<RetentionRow> = [
    { title: t('hackathons.retention.days'), dataIndex: 'days', render: (days: number) => t('hackathons.retention.afterEnd', { days }) },
    { title: t('hackathons.retention.at'), dataIndex: 'at', render: (at: string) => formatInstant(at, i18n.language) },
    {
      title: t('hackathons.retention.stillContributing'),
      dataIndex: 'count',
      render: (count: number | null) =>
        count == null ? (
          <Tag>{t('hackathons.retention.pending')}</Tag>
        ) : retention && retention.participants > 0 ? (
          `${count} (${formatShare(count / retention.participants, i18n.language)})`
        ) : (
          count
        ),
    },
  ];
  return (
    <QueryState fetching={result.fetching} error={result.error} empty={!retention} emptyText={t('hackathons.notFound', { slug })} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
      {retention && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Row gutter={16}>
            <Col span={8}>
              <Statistic title={t('hackathons.retention.participants')} value={retention.participants} />
            </Col>
            <Col span={8}>
              <Statistic title={t('hackathons.retention.firstTime')} value={retention.firstTimeContributors} />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary">{t('hackathons.retention.help')}</Typography.Paragraph>
          <Table<RetentionRow> rowKey="days" size="small" columns={columns} dataSource={retention.stillContributing} pagination={false} locale={{ emptyText: t('hackathons.retention.none') }} />
        </Space>
      )}
    </QueryState>
  );
}
