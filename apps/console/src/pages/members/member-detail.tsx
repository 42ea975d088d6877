import { Alert, App, Avatar, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { MemberDetailQuery as DetailData, Stage } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { MemberHackathons } from './member-hackathons.js';
import { memberName, memberRef } from './member-ref.js';
import { utcDayStart } from './utc-day.js';
import {
  MemberDetailQuery,
  MemberLookupQuery,
  MergeMembersMutation,
  OrganizationSearchQuery,
  RemoveAffiliationMutation,
  SetAffiliationMutation,
  UnmergeMemberMutation,
} from './members.operations.js';

type Member = NonNullable<DetailData['member']>;
type IdentityRow = Member['identities'][number];
type ActivityRow = Member['recentActivities'][number];
type AffiliationRow = Member['affiliations'][number];
type MergeRow = Member['merges'][number];

/** How many of the member's newest activities the page shows. */
const RECENT_ACTIVITIES = 10;

/** The api's messages of a failed request, for a toast. */
export function apiMessage(error: CombinedError): string {
  return error.graphQLErrors.map((item) => item.message).join(' · ') || error.message;
}

/** Tag colour of a stage, from observer (grey) to maintainer (purple); lapsed in orange. */
export function stageColor(stage: Stage): string {
  const colors: Record<Stage, string> = {
    OBSERVER: 'default',
    USER: 'cyan',
    FIRST_TIME_CONTRIBUTOR: 'blue',
    REGULAR_CONTRIBUTOR: 'green',
    MAINTAINER: 'purple',
    LAPSED: 'orange',
  };
  return colors[stage];
}

/**
 * A member's page: who they are and their stage per ecosystem, their identities with the proofs of each,
 * their dated path through the stages, recent activities, affiliations (manual ones added and removed
 * here), the merges they took part in (undone here; another member merged in by login) and the hackathons
 * they registered for ({@link MemberHackathons}).
 * `reference` is a member id or a GitHub login.
 */
export function MemberDetail({ reference, onOpen }: { reference: string; onOpen: (ref: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const ref = memberRef(reference);
  const [result, refetch] = useQuery({ query: MemberDetailQuery, variables: { ...ref, activities: RECENT_ACTIVITIES }, pause: ref === null });
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  if (result.error && !result.data) return <QueryError error={result.error} onRetry={refresh} />;
  if (!result.data) return <QueryState fetching empty emptyText="" children={null} />;
  const member = result.data.member;
  if (!member) return <Empty description={t('members.detail.notFound', { reference })} />;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="member-detail">
      {member.mergedInto && (
        <Alert
          type="info"
          showIcon
          title={t('members.detail.mergedInto', { name: memberName(member.mergedInto) })}
          action={<Button onClick={() => onOpen(member.mergedInto!.id)}>{t('members.detail.openSurvivor')}</Button>}
        />
      )}
      <Descriptions
        bordered
        size="small"
        column={2}
        title={
          <Space>
            {member.avatarUrl && <Avatar src={member.avatarUrl} />}
            <span data-testid="member-name">{memberName(member)}</span>
          </Space>
        }
        items={[
          { key: 'login', label: t('members.detail.login'), children: member.login ?? '—' },
          { key: 'name', label: t('members.detail.displayName'), children: member.displayName ?? '—' },
          { key: 'kind', label: t('members.detail.kind'), children: t(`members.kind.${member.kind}`) },
          { key: 'created', label: t('members.detail.firstRecorded'), children: formatInstant(member.createdAt, language) },
          {
            key: 'stages',
            label: t('members.detail.stages'),
            span: 2,
            children:
              member.stages.length === 0
                ? t('members.noStage')
                : member.stages.map((stage) => (
                    <Tag key={stage.ecosystemSlug} color={stageColor(stage.stage)}>
                      {stage.ecosystemSlug}: {t(`members.stage.${stage.stage}`)} · {t('members.detail.since', { at: formatInstant(stage.since, language) })}
                    </Tag>
                  )),
          },
        ]}
      />
      <Identities identities={member.identities} />
      <Path member={member} />
      <Activities activities={member.recentActivities} />
      <Affiliations member={member} onChanged={refresh} />
      <Merges member={member} onChanged={refresh} onOpen={onOpen} />
      <MemberHackathons hackathons={member.hackathons ?? null} error={result.error} />
    </Space>
  );
}

function Identities({ identities }: { identities: IdentityRow[] }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<IdentityRow> = [
    { title: t('members.identities.platform'), dataIndex: 'platform', render: (platform: IdentityRow['platform']) => <Tag>{t(`members.platform.${platform}`)}</Tag> },
    {
      title: t('members.identities.identity'),
      key: 'identity',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{row.githubLogin ?? row.email ?? row.key}</Typography.Text>
          {row.displayName && row.displayName !== (row.githubLogin ?? row.email ?? row.key) && <Typography.Text type="secondary">{row.displayName}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('members.identities.evidence'), dataIndex: 'evidence', render: (evidence: IdentityRow['evidence']) => t(`members.identityEvidence.${evidence}`) },
    {
      title: t('members.identities.proofs'),
      key: 'proofs',
      render: (_, row) =>
        row.proofs.length === 0 ? (
          '—'
        ) : (
          <Space orientation="vertical" size={2}>
            {row.proofs.map((proof, index) => (
              <span key={index}>
                <Tag color={proof.kind === 'NOREPLY_ID_MISMATCH' ? 'red' : proof.kind === 'MERGE' ? 'purple' : 'blue'}>{t(`members.proofKind.${proof.kind}`)}</Tag>
                <Typography.Text style={{ fontSize: 12 }}>{proof.detail}</Typography.Text>{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatInstant(proof.observedAt, i18n.language)}
                </Typography.Text>
              </span>
            ))}
          </Space>
        ),
    },
  ];
  return (
    <Card size="small" title={t('members.identities.title', { count: identities.length })}>
      <Table<IdentityRow> data-testid="identities-table" rowKey="id" size="small" columns={columns} dataSource={identities} pagination={false} locale={{ emptyText: t('members.identities.none') }} />
    </Card>
  );
}

function Path({ member }: { member: Member }) {
  const { t, i18n } = useTranslation();
  return (
    <Card size="small" title={t('members.path.title')} data-testid="member-path">
      {member.path.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('members.path.none')} />
      ) : (
        <Timeline
          items={member.path.map((step) => ({
            key: step.id,
            color: stageColor(step.to) === 'default' ? 'gray' : stageColor(step.to),
            children: (
              <Space orientation="vertical" size={0}>
                <span>
                  <Typography.Text strong>{formatInstant(step.at, i18n.language)}</Typography.Text> · {step.ecosystemSlug} ·{' '}
                  {step.from ? `${t(`members.stage.${step.from}`)} → ` : ''}
                  <Tag color={stageColor(step.to)}>{t(`members.stage.${step.to}`)}</Tag>
                </span>
                {step.activity && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`members.activityType.${step.activity.type}`)} · {step.activity.repository.fullName}
                    {step.activity.title ? ` · ${step.activity.title}` : ''}
                  </Typography.Text>
                )}
              </Space>
            ),
          }))}
        />
      )}
    </Card>
  );
}

function Activities({ activities }: { activities: ActivityRow[] }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<ActivityRow> = [
    { title: t('members.activities.when'), dataIndex: 'occurredAt', render: (at: string) => formatInstant(at, i18n.language) },
    { title: t('members.activities.type'), dataIndex: 'type', render: (type: ActivityRow['type']) => t(`members.activityType.${type}`) },
    { title: t('members.activities.repository'), key: 'repository', render: (_, row) => row.repository.fullName },
    {
      title: t('members.activities.what'),
      key: 'title',
      render: (_, row) =>
        row.url ? (
          <Typography.Link href={row.url} target="_blank" rel="noreferrer">
            {row.title ?? row.url}
          </Typography.Link>
        ) : (
          (row.title ?? '—')
        ),
    },
    { title: t('members.activities.organization'), key: 'organization', render: (_, row) => row.organization?.name ?? '—' },
  ];
  return (
    <Card size="small" title={t('members.activities.title', { count: RECENT_ACTIVITIES })}>
      <Table<ActivityRow> rowKey="id" size="small" columns={columns} dataSource={activities} pagination={false} locale={{ emptyText: t('members.activities.none') }} />
    </Card>
  );
}

interface AffiliationValues {
  organization: string;
  period?: [Dayjs | null, Dayjs | null] | null;
  note?: string;
}

function Affiliations({ member, onChanged }: { member: Member; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AffiliationValues>();
  const [search, setSearch] = useState('');
  const [organizations] = useQuery({ query: OrganizationSearchQuery, variables: { query: search || null } });
  const [setState, setAffiliation] = useMutation(SetAffiliationMutation);
  const [, removeAffiliation] = useMutation(RemoveAffiliationMutation);

  async function onAdd(values: AffiliationValues) {
    const [startsAt, endsAt] = values.period ?? [];
    const answer = await setAffiliation({
      member: member.id,
      organization: values.organization,
      startsAt: startsAt ? utcDayStart(startsAt) : null,
      endsAt: endsAt ? utcDayStart(endsAt.add(1, 'day')) : null,
      note: values.note?.trim() || null,
    });
    if (answer.error) return void message.error(t('members.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('members.affiliations.added'));
    form.resetFields();
    onChanged();
  }

  async function onRemove(row: AffiliationRow) {
    const answer = await removeAffiliation({ id: row.id });
    if (answer.error) return void message.error(t('members.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('members.affiliations.removed', { organization: row.organization.name }));
    onChanged();
  }

  const columns: TableColumnsType<AffiliationRow> = [
    { title: t('members.affiliations.organization'), key: 'organization', render: (_, row) => row.organization.name },
    { title: t('members.affiliations.source'), dataIndex: 'source', render: (source: AffiliationRow['source']) => <Tag color={source === 'MANUAL' ? 'blue' : 'default'}>{t(`members.affiliationSource.${source}`)}</Tag> },
    { title: t('members.affiliations.from'), dataIndex: 'startsAt', render: (at: string | null) => (at ? formatInstant(at, i18n.language) : t('members.affiliations.open')) },
    { title: t('members.affiliations.until'), dataIndex: 'endsAt', render: (at: string | null) => (at ? formatInstant(at, i18n.language) : t('members.affiliations.open')) },
    {
      title: t('members.affiliations.evidence'),
      key: 'evidence',
      render: (_, row) => {
        const evidence = row.evidence;
        if (!evidence) return '—';
        return [evidence.domains?.join(', '), evidence.company, evidence.note, evidence.setBy].filter(Boolean).join(' · ') || '—';
      },
    },
    {
      title: '',
      key: 'actions',
      render: (_, row) =>
        row.source === 'MANUAL' ? (
          <Popconfirm title={t('members.affiliations.removeConfirm', { organization: row.organization.name })} onConfirm={() => onRemove(row)}>
            <Button size="small" danger>
              {t('members.affiliations.remove')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <Card size="small" title={t('members.affiliations.title')}>
      <Table<AffiliationRow> rowKey="id" size="small" columns={columns} dataSource={member.affiliations} pagination={false} locale={{ emptyText: t('members.affiliations.none') }} />
      <Form form={form} layout="inline" onFinish={(values) => void onAdd(values)} style={{ marginTop: 12, rowGap: 8 }}>
        <Form.Item name="organization" rules={[{ required: true, message: t('members.affiliations.organizationRequired') }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            style={{ width: 220 }}
            placeholder={t('members.affiliations.pickOrganization')}
            loading={organizations.fetching}
            notFoundContent={organizations.error ? apiMessage(organizations.error) : t('members.affiliations.noOrganizations')}
            options={(organizations.data?.organizations.edges ?? []).map((edge) => ({ value: edge.node.id, label: edge.node.name }))}
          />
        </Form.Item>
        <Form.Item name="period">
          <DatePicker.RangePicker allowEmpty={[true, true]} placeholder={[t('members.affiliations.from'), t('members.affiliations.until')]} />
        </Form.Item>
        <Form.Item name="note">
          <Input placeholder={t('members.affiliations.note')} maxLength={500} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" loading={setState.fetching}>
            {t('members.affiliations.add')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function Merges({ member, onChanged, onOpen }: { member: Member; onChanged: () => void; onOpen: (ref: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [form] = Form.useForm<{ from: string; reason: string }>();
  const [mergeState, mergeMembers] = useMutation(MergeMembersMutation);
  const [unmergeState, unmergeMember] = useMutation(UnmergeMemberMutation);
  const [undoing, setUndoing] = useState<MergeRow | null>(null);
  const [undoReason, setUndoReason] = useState('');

  async function onMerge(values: { from: string; reason: string }) {
    const ref = memberRef(values.from);
    if (!ref) return;
    const lookup = await client.query(MemberLookupQuery, ref, { requestPolicy: 'network-only' }).toPromise();
    if (lookup.error) return void message.error(t('members.actionFailed', { message: apiMessage(lookup.error) }));
    const other = lookup.data?.member;
    if (!other) return void message.error(t('members.merges.unknown', { reference: values.from }));
    const answer = await mergeMembers({ into: member.id, from: other.id, reason: values.reason.trim() });
    if (answer.error) return void message.error(t('members.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('members.merges.merged', { from: memberName(other), into: memberName(member) }));
    form.resetFields();
    onChanged();
  }

  async function onUnmerge() {
    if (!undoing) return;
    const answer = await unmergeMember({ mergeId: undoing.id, reason: undoReason.trim() || null });
    if (answer.error) return void message.error(t('members.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('members.merges.unmerged', { from: memberName(undoing.before.from) }));
    setUndoing(null);
    setUndoReason('');
    onChanged();
  }

  const side = (snapshot: MergeRow['before']['from']) => <Typography.Link onClick={() => onOpen(snapshot.id)}>{memberName(snapshot)}</Typography.Link>;
  const columns: TableColumnsType<MergeRow> = [
    { title: t('members.merges.when'), dataIndex: 'mergedAt', width: 170, render: (at: string) => formatInstant(at, i18n.language) },
    { title: t('members.merges.from'), key: 'from', width: 130, render: (_, row) => side(row.before.from) },
    { title: t('members.merges.into'), key: 'into', width: 130, render: (_, row) => side(row.before.into) },
    { title: t('members.merges.by'), dataIndex: 'mergedBy', width: 150, ellipsis: true },
    { title: t('members.merges.reason'), dataIndex: 'reason', ellipsis: true, render: (reason: string | null) => reason ?? '—' },
    {
      title: t('members.merges.state'),
      key: 'state',
      width: 230,
      render: (_, row) =>
        row.unmergedAt ? (
          <Space orientation="vertical" size={0}>
            <Tag>{t('members.merges.undone', { at: formatInstant(row.unmergedAt, i18n.language) })}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[row.unmergedBy, row.unmergeReason].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Space>
        ) : (
          <Button size="small" danger onClick={() => setUndoing(row)}>
            {t('members.merges.unmerge')}
          </Button>
        ),
    },
  ];

  return (
    <Card size="small" title={t('members.merges.title')} data-testid="member-merges">
      <Table<MergeRow> rowKey="id" size="small" tableLayout="fixed" columns={columns} dataSource={member.merges} pagination={false} locale={{ emptyText: t('members.merges.none') }} />
      {!member.mergedInto && member.kind !== 'DELETED' && (
        <Form form={form} layout="inline" onFinish={(values) => void onMerge(values)} style={{ marginTop: 12, rowGap: 8 }}>
          <Form.Item name="from" label={t('members.merges.mergeIn')} rules={[{ required: true, whitespace: true, message: t('members.merges.fromRequired') }]}>
            <Input placeholder={t('members.merges.fromPlaceholder')} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true, whitespace: true, message: t('members.merges.reasonRequired') }]}>
            <Input placeholder={t('members.merges.reasonPlaceholder')} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={mergeState.fetching}>
              {t('members.merges.merge')}
            </Button>
          </Form.Item>
        </Form>
      )}
      <Modal
        open={undoing !== null}
        title={t('members.merges.unmergeTitle', { from: memberName(undoing?.before.from), into: memberName(undoing?.before.into) })}
        okText={t('members.merges.unmerge')}
        okButtonProps={{ danger: true, loading: unmergeState.fetching }}
        cancelText={t('members.merges.cancel')}
        onOk={() => void onUnmerge()}
        onCancel={() => setUndoing(null)}
      >
        <Typography.Paragraph>{t('members.merges.unmergeExplain')}</Typography.Paragraph>
        <Input.TextArea aria-label={t('members.merges.unmergeReason')} placeholder={t('members.merges.unmergeReason')} value={undoReason} onChange={(event) => setUndoReason(event.target.value)} rows={2} />
      </Modal>
    </Card>
  );
}
