import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Modal, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { EcosystemPicker } from '../../components/ecosystem-picker.js';
import { QueryState } from '../../components/query-state.js';
import type { HackathonsQuery as HackathonsData, HackathonStatus } from '../../graphql/generated/graphql.js';
import { useEcosystemParam } from '../../hooks/use-ecosystem-param.js';
import { formatInstant } from '../../lib/format.js';
import { HackathonDetail } from './hackathon-detail.js';
import { HackathonFormFields } from './hackathon-form-fields.js';
import { toCreateVariables, type HackathonFormValues } from './hackathon-form.js';
import { CreateHackathonMutation, HackathonsQuery } from './hackathons.operations.js';

type HackathonRow = HackathonsData['hackathons']['edges'][number]['node'];

/** Hackathons a page of the list shows. */
export const HACKATHONS_PAGE_SIZE = 20;

/** Colours of the status tags, DRAFT → FINISHED. */
export const STATUS_COLOR: Record<HackathonStatus, string> = {
  DRAFT: 'default',
  REGISTRATION_OPEN: 'blue',
  RUNNING: 'green',
  JUDGING: 'purple',
  FINISHED: 'gold',
};

/** The api's messages of an error (or the transport's). */
export function apiMessage(error: CombinedError): string {
  return error.graphQLErrors.map((item) => item.message).join(' · ') || error.message;
}

/**
 * Hackathons: an ecosystem's hackathons (`?ecosystem=<slug>`), newest start first, paginated by the api's
 * cursors; "New hackathon" creates one in DRAFT. `?hackathon=<slug>` opens one hackathon ({@link HackathonDetail}).
 */
export function HackathonsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const hackathon = params.get('hackathon');
  const { ecosystems, slug: ecosystem, fetching, error, retry, choose } = useEcosystemParam();

  if (hackathon) return <HackathonDetail slug={hackathon} onBack={() => setParams(ecosystem ? { ecosystem } : {})} />;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Flex align="center" gap={16} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('hackathons.title')}
        </Typography.Title>
        <EcosystemPicker label={t('hackathons.pickEcosystem')} ecosystems={ecosystems} value={ecosystem} onChange={choose} />
      </Flex>
      <QueryState
        fetching={fetching}
        error={error}
        empty={ecosystems.length === 0}
        emptyText={t('hackathons.noEcosystems')}
        onRetry={retry}
      >
        {ecosystem && <HackathonList key={ecosystem} ecosystem={ecosystem} onOpen={(slug) => setParams({ ecosystem, hackathon: slug })} />}
      </QueryState>
    </Space>
  );
}

function HackathonList({ ecosystem, onOpen }: { ecosystem: string; onOpen: (slug: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  // cursors[n]: the `after` of page n + 1 (the first page has none); pages are reached one after another
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState(1);
  const [result, refetch] = useQuery({ query: HackathonsQuery, variables: { ecosystem, first: HACKATHONS_PAGE_SIZE, after: cursors[page - 1] } });
  const [creating, setCreating] = useState(false);
  const [createState, createHackathon] = useMutation(CreateHackathonMutation);
  const [form] = Form.useForm<HackathonFormValues>();
  const connection = result.data?.hackathons;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];

  function onPage(next: number) {
    if (next === page + 1 && connection?.pageInfo.endCursor) {
      const known = cursors.slice(0, page);
      setCursors([...known, connection.pageInfo.endCursor]);
      setPage(next);
    } else if (next <= cursors.length) setPage(next);
  }

  async function onCreate(values: HackathonFormValues) {
    const answer = await createHackathon(toCreateVariables(ecosystem, values));
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    const created = answer.data!.createHackathon;
    void message.success(t('hackathons.created', { slug: created.slug }));
    setCreating(false);
    form.resetFields();
    onOpen(created.slug);
  }

  const columns: TableColumnsType<HackathonRow> = [
    {
      title: t('hackathons.columns.name'),
      dataIndex: 'name',
      render: (name: string, row) => (
        <Typography.Link onClick={() => onOpen(row.slug)}>
          {name} <Typography.Text type="secondary">({row.slug})</Typography.Text>
        </Typography.Link>
      ),
    },
    { title: t('hackathons.columns.status'), dataIndex: 'status', render: (status: HackathonStatus) => <Tag color={STATUS_COLOR[status]}>{t(`hackathons.status.${status}`)}</Tag> },
    { title: t('hackathons.columns.startsAt'), dataIndex: 'startsAt', render: (at: string) => formatInstant(at, i18n.language) },
    { title: t('hackathons.columns.endsAt'), dataIndex: 'endsAt', render: (at: string) => formatInstant(at, i18n.language) },
  ];

  return (
    <>
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{connection ? t('hackathons.count', { count: connection.totalCount }) : null}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('hackathons.new')}
        </Button>
      </Flex>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={rows.length === 0}
        emptyText={t('hackathons.empty')}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      >
        <Table<HackathonRow>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={result.fetching}
          pagination={{
            current: page,
            pageSize: HACKATHONS_PAGE_SIZE,
            total: connection?.totalCount ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            simple: true,
            onChange: onPage,
          }}
        />
      </QueryState>
      <Modal
        open={creating}
        title={t('hackathons.newTitle', { ecosystem })}
        okText={t('hackathons.create')}
        cancelText={t('hackathons.cancel')}
        confirmLoading={createState.fetching}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        width={640}
        forceRender
      >
        <Form form={form} name="hackathon-create" layout="vertical" initialValues={{ minTeamSize: 1, maxTeamSize: 5 }} onFinish={(values) => void onCreate(values)}>
          <HackathonFormFields />
        </Form>
      </Modal>
    </>
  );
}
