import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '../../components/query-state.js';
import type {
  HackathonRegistrationsQuery as RegistrationsData,
  HackathonResourcesQuery as ResourcesData,
  HackathonTeamsQuery as TeamsData,
  ResourceKind,
} from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { apiMessage } from './hackathons-page.js';
import {
  CreateResourceMutation,
  DeleteResourceMutation,
  DeleteResourceRequestMutation,
  HackathonRegistrationsQuery,
  HackathonResourcesQuery,
  HackathonTeamsQuery,
} from './hackathons.operations.js';
import { EditRequestModal, EditResourceModal, ResourceFormFields, type RequestToEdit } from './resource-editors.js';
import { toResourceInput, unitsLeft, type ResourceFormValues } from './resource-form.js';

type RegistrationRow = NonNullable<RegistrationsData['hackathon']>['registrations'][number];
type TeamRow = NonNullable<TeamsData['hackathon']>['teams'][number];
type ResourceRow = NonNullable<ResourcesData['hackathon']>['resources'][number];
type RequestRow = NonNullable<ResourcesData['hackathon']>['teams'][number]['resourceRequests'][number] & { teamName: string };

/** Rows a page of the tabs' tables shows (the api answers these lists whole: they page in the browser). */
export const TAB_PAGE_SIZE = 20;

function tags(values: readonly string[]) {
  return values.length === 0 ? '—' : values.map((value) => <Tag key={value}>{value}</Tag>);
}

const pagination = { pageSize: TAB_PAGE_SIZE, hideOnSinglePage: true, showSizeChanger: false } as const;

/** Registrations: who registered (each linked to the member's page), when, and their skills, interests and needs. */
export function RegistrationsTab({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const [result, refetch] = useQuery({ query: HackathonRegistrationsQuery, variables: { slug } });
  const rows = result.data?.hackathon?.registrations ?? [];
  const columns: TableColumnsType<RegistrationRow> = [
    {
      title: t('hackathons.columns.member'),
      key: 'member',
      render: (_, row) => <Link to={`/members?member=${encodeURIComponent(row.member.id)}`}>{row.member.login ?? row.member.displayName ?? row.member.id}</Link>,
    },
    { title: t('hackathons.columns.registeredAt'), dataIndex: 'registeredAt', render: (at: string) => formatInstant(at, i18n.language) },
    { title: t('hackathons.columns.skills'), dataIndex: 'skills', render: tags },
    { title: t('hackathons.columns.interests'), dataIndex: 'interests', render: tags },
    { title: t('hackathons.columns.needs'), dataIndex: 'needs', render: tags },
    { title: t('hackathons.columns.emailConsent'), dataIndex: 'emailConsent', render: (yes: boolean) => (yes ? t('hackathons.yes') : t('hackathons.no')) },
  ];
  return (
    <QueryState fetching={result.fetching} error={result.error} empty={rows.length === 0} emptyText={t('hackathons.noRegistrations')} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
      <Typography.Paragraph type="secondary">{t('hackathons.registrationCount', { count: rows.length })}</Typography.Paragraph>
      <Table<RegistrationRow> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={pagination} />
    </QueryState>
  );
}

/** Teams: members (captain first), size against the hackathon's limits. */
export function TeamsTab({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const [result, refetch] = useQuery({ query: HackathonTeamsQuery, variables: { slug } });
  const hackathon = result.data?.hackathon;
  const rows = hackathon?.teams ?? [];
  const columns: TableColumnsType<TeamRow> = [
    { title: t('hackathons.columns.team'), dataIndex: 'name' },
    {
      title: t('hackathons.columns.members'),
      key: 'members',
      render: (_, row) =>
        [...row.members]
          .sort((a, b) => Number(b.isCaptain) - Number(a.isCaptain))
          .map((item) => (
            <Tag key={item.member.id} color={item.isCaptain ? 'blue' : undefined}>
              {item.member.login ?? item.member.id}
              {item.isCaptain ? ` · ${t('hackathons.captain')}` : ''}
            </Tag>
          )),
    },
    {
      title: t('hackathons.columns.size'),
      key: 'size',
      render: (_, row) =>
        hackathon && row.members.length < hackathon.minTeamSize ? (
          <Tag color="warning">{t('hackathons.tooSmall', { size: row.members.length, min: hackathon.minTeamSize })}</Tag>
        ) : (
          row.members.length
        ),
    },
    { title: t('hackathons.columns.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at, i18n.language) },
  ];
  return (
    <QueryState fetching={result.fetching} error={result.error} empty={rows.length === 0} emptyText={t('hackathons.noTeams')} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
      <Typography.Paragraph type="secondary">
        {t('hackathons.teamCount', { count: rows.length })} · {hackathon && t('hackathons.teamSizeRange', { min: hackathon.minTeamSize, max: hackathon.maxTeamSize })}
      </Typography.Paragraph>
      <Table<TeamRow> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={pagination} />
    </QueryState>
  );
}

/**
 * Resources sponsors offer (add, edit, delete; units the published run allocated and what is left) and the
 * teams' ranked requests for them (an organiser edits or withdraws one on the team's behalf).
 */
export function ResourcesTab({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, refetch] = useQuery({ query: HackathonResourcesQuery, variables: { slug } });
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<ResourceFormValues>();
  const kind = Form.useWatch('kind', form);
  const [createState, createResource] = useMutation(CreateResourceMutation);
  const [, deleteResource] = useMutation(DeleteResourceMutation);
  const [, deleteRequest] = useMutation(DeleteResourceRequestMutation);
  const [editingResource, setEditingResource] = useState<ResourceRow | null>(null);
  const [editingRequest, setEditingRequest] = useState<RequestToEdit | null>(null);
  const hackathon = result.data?.hackathon;
  const resources = hackathon?.resources ?? [];
  const published = hackathon?.publishedMatchingRun ?? null;
  const usage = useMemo(() => unitsLeft(resources, published?.allocations), [resources, published]);
  const names = useMemo(() => new Map(resources.map((resource) => [resource.id, resource.name])), [resources]);
  const requests: RequestRow[] = (hackathon?.teams ?? []).flatMap((team) => team.resourceRequests.map((request) => ({ ...request, teamName: team.name })));
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  async function onAdd(values: ResourceFormValues) {
    if (!hackathon) return;
    const answer = await createResource({ hackathonId: hackathon.id, input: toResourceInput(values) });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.resourceAdded', { name: answer.data!.createResource.name }));
    setAdding(false);
    form.resetFields();
    refresh();
  }

  async function onDeleteResource(row: ResourceRow) {
    const answer = await deleteResource({ id: row.id });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.resourceDeleted', { name: row.name }));
    refresh();
  }

  async function onWithdrawRequest(row: RequestRow) {
    const answer = await deleteRequest({ id: row.id });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.requestWithdrawn', { team: row.teamName }));
    refresh();
  }

  const resourceColumns: TableColumnsType<ResourceRow> = [
    { title: t('hackathons.columns.resource'), dataIndex: 'name' },
    { title: t('hackathons.columns.kind'), dataIndex: 'kind', render: (value: ResourceKind) => t(`hackathons.kind.${value}`) },
    { title: t('hackathons.columns.sponsor'), dataIndex: 'sponsor', render: (value: string | null) => value ?? '—' },
    { title: t('hackathons.columns.capacity'), dataIndex: 'capacity', align: 'right' },
    { title: t('hackathons.columns.allocated'), key: 'allocated', align: 'right', render: (_, row) => usage.get(row.id)?.allocated ?? 0 },
    {
      title: t('hackathons.columns.left'),
      key: 'left',
      align: 'right',
      render: (_, row) => {
        const left = usage.get(row.id)?.left ?? row.capacity;
        return left < 0 ? <Tag color="error">{t('hackathons.overAllocated', { count: -left })}</Tag> : left;
      },
    },
    { title: t('hackathons.columns.perTeamMax'), dataIndex: 'perTeamMax', align: 'right' },
    {
      title: t('hackathons.columns.eligibility'),
      key: 'eligibility',
      render: (_, row) => (
        <Space wrap size={4}>
          {row.eligibilityMinTeamSize != null && <Tag>{t('hackathons.minMembers', { count: row.eligibilityMinTeamSize })}</Tag>}
          {row.eligibilitySkills.map((skill) => (
            <Tag key={skill} color="cyan">
              {skill}
            </Tag>
          ))}
          {row.eligibilityMinTeamSize == null && row.eligibilitySkills.length === 0 && t('hackathons.anyTeam')}
        </Space>
      ),
    },
    {
      title: t('hackathons.actions'),
      key: 'actions',
      render: (_, row) => (
        <Space size={4}>
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditingResource(row)}>
            {t('hackathons.edit')}
          </Button>
          <Popconfirm
            title={t('hackathons.deleteResourceConfirm', { name: row.name })}
            okText={t('hackathons.delete')}
            cancelText={t('hackathons.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => onDeleteResource(row)}
          >
            <Button size="small" type="link" danger icon={<DeleteOutlined />}>
              {t('hackathons.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];
  const requestColumns: TableColumnsType<RequestRow> = [
    { title: t('hackathons.columns.team'), dataIndex: 'teamName' },
    { title: t('hackathons.columns.rank'), dataIndex: 'rank', align: 'right' },
    {
      title: t('hackathons.columns.asksFor'),
      key: 'asksFor',
      render: (_, row) => (row.resourceId ? (names.get(row.resourceId) ?? row.resourceId) : row.kind ? t('hackathons.anyOfKind', { kind: t(`hackathons.kind.${row.kind}`) }) : '—'),
    },
    { title: t('hackathons.columns.amount'), dataIndex: 'amount', align: 'right' },
    { title: t('hackathons.columns.tags'), dataIndex: 'tags', render: tags },
    {
      title: t('hackathons.actions'),
      key: 'actions',
      render: (_, row) => (
        <Space size={4}>
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditingRequest(row)}>
            {t('hackathons.edit')}
          </Button>
          <Popconfirm
            title={t('hackathons.withdrawRequestConfirm', { team: row.teamName, rank: row.rank })}
            okText={t('hackathons.withdraw')}
            cancelText={t('hackathons.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => onWithdrawRequest(row)}
          >
            <Button size="small" type="link" danger icon={<DeleteOutlined />}>
              {t('hackathons.withdraw')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <QueryState fetching={result.fetching} error={result.error} empty={!hackathon} emptyText={t('hackathons.notFound', { slug })} onRetry={refresh}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card
          size="small"
          title={t('hackathons.resources')}
          extra={
            <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('hackathons.addResource')}
            </Button>
          }
        >
          <Typography.Paragraph type="secondary">{published ? t('hackathons.allocatedHelp') : t('hackathons.noPublishedRun')}</Typography.Paragraph>
          <Table<ResourceRow> rowKey="id" size="small" columns={resourceColumns} dataSource={resources} pagination={pagination} locale={{ emptyText: t('hackathons.noResources') }} />
        </Card>
        <Card size="small" title={t('hackathons.requests')}>
          <Table<RequestRow>
            rowKey="id"
            size="small"
            columns={requestColumns}
            dataSource={requests}
            pagination={pagination}
            locale={{ emptyText: t('hackathons.noRequests') }}
          />
        </Card>
      </Space>
      <Modal
        open={adding}
        title={t('hackathons.addResource')}
        okText={t('hackathons.add')}
        cancelText={t('hackathons.cancel')}
        confirmLoading={createState.fetching}
        onOk={() => form.submit()}
        onCancel={() => setAdding(false)}
        forceRender
      >
        <Form form={form} name="resource" layout="vertical" initialValues={{ kind: 'GPU_HOURS', capacity: 10, perTeamMax: 5 }} onFinish={(values) => void onAdd(values)}>
          <ResourceFormFields kind={kind} editing={false} />
        </Form>
      </Modal>
      <EditResourceModal resource={editingResource} onClose={() => setEditingResource(null)} onSaved={refresh} />
      <EditRequestModal request={editingRequest} onClose={() => setEditingRequest(null)} onSaved={refresh} />
    </QueryState>
  );
}
