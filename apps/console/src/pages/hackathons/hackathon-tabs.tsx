import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '../../components/query-state.js';
import type {
  CreateResourceInput,
  HackathonRegistrationsQuery as RegistrationsData,
  HackathonResourcesQuery as ResourcesData,
  HackathonTeamsQuery as TeamsData,
  ResourceKind,
} from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { apiMessage } from './hackathons-page.js';
import { CreateResourceMutation, HackathonRegistrationsQuery, HackathonResourcesQuery, HackathonTeamsQuery } from './hackathons.operations.js';

type RegistrationRow = NonNullable<RegistrationsData['hackathon']>['registrations'][number];
type TeamRow = NonNullable<TeamsData['hackathon']>['teams'][number];
type ResourceRow = NonNullable<ResourcesData['hackathon']>['resources'][number];
type RequestRow = NonNullable<ResourcesData['hackathon']>['teams'][number]['resourceRequests'][number] & { teamName: string };

/** Rows a page of the tabs' tables shows (the api answers these lists whole: they page in the browser). */
export const TAB_PAGE_SIZE = 20;
export const RESOURCE_KINDS: ResourceKind[] = ['GPU_HOURS', 'API_CREDITS', 'DATASET', 'MENTOR_HOURS', 'OTHER'];

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

interface ResourceFormValues {
  name: string;
  kind: ResourceKind;
  sponsor?: string;
  capacity: number;
  perTeamMax: number;
  eligibilityMinTeamSize?: number | null;
  eligibilitySkills?: string[];
  mentorMemberId?: string;
}

/** The createResource input from the form (blank optional fields left out). */
export function toResourceInput(values: ResourceFormValues): CreateResourceInput {
  return {
    name: values.name.trim(),
    kind: values.kind,
    capacity: values.capacity,
    perTeamMax: values.perTeamMax,
    sponsor: values.sponsor?.trim() || undefined,
    eligibilityMinTeamSize: values.eligibilityMinTeamSize ?? undefined,
    eligibilitySkills: values.eligibilitySkills?.length ? values.eligibilitySkills : undefined,
    mentorMemberId: values.kind === 'MENTOR_HOURS' ? values.mentorMemberId?.trim() : undefined,
  };
}

/** Resources sponsors offer (add one) and the teams' ranked requests for them. */
export function ResourcesTab({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, refetch] = useQuery({ query: HackathonResourcesQuery, variables: { slug } });
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<ResourceFormValues>();
  const kind = Form.useWatch('kind', form);
  const [createState, createResource] = useMutation(CreateResourceMutation);
  const hackathon = result.data?.hackathon;
  const resources = hackathon?.resources ?? [];
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

  const resourceColumns: TableColumnsType<ResourceRow> = [
    { title: t('hackathons.columns.resource'), dataIndex: 'name' },
    { title: t('hackathons.columns.kind'), dataIndex: 'kind', render: (value: ResourceKind) => t(`hackathons.kind.${value}`) },
    { title: t('hackathons.columns.sponsor'), dataIndex: 'sponsor', render: (value: string | null) => value ?? '—' },
    { title: t('hackathons.columns.capacity'), dataIndex: 'capacity', align: 'right' },
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
          <Form.Item name="name" label={t('hackathons.columns.resource')} rules={[{ required: true, whitespace: true, message: t('hackathons.resourceNameRequired') }, { max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('hackathons.columns.kind')}>
            <Select options={RESOURCE_KINDS.map((value) => ({ value, label: t(`hackathons.kind.${value}`) }))} />
          </Form.Item>
          {kind === 'MENTOR_HOURS' && (
            <Form.Item name="mentorMemberId" label={t('hackathons.mentor')} rules={[{ required: true, message: t('hackathons.mentorRequired') }]}>
              <Input />
            </Form.Item>
          )}
          <Form.Item name="sponsor" label={t('hackathons.columns.sponsor')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
          <Space size="large">
            <Form.Item name="capacity" label={t('hackathons.columns.capacity')} rules={[{ required: true }]}>
              <InputNumber min={0} precision={0} />
            </Form.Item>
            <Form.Item name="perTeamMax" label={t('hackathons.columns.perTeamMax')} rules={[{ required: true }]}>
              <InputNumber min={0} precision={0} />
            </Form.Item>
            <Form.Item name="eligibilityMinTeamSize" label={t('hackathons.eligibilityMinTeamSize')}>
              <InputNumber min={1} max={100} precision={0} />
            </Form.Item>
          </Space>
          <Form.Item name="eligibilitySkills" label={t('hackathons.eligibilitySkills')} extra={t('hackathons.eligibilitySkillsHelp')}>
            <Select mode="tags" tokenSeparators={[',']} open={false} />
          </Form.Item>
        </Form>
      </Modal>
    </QueryState>
  );
}
