import { ArrowLeftOutlined, EditOutlined, StepForwardOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Drawer, Flex, Form, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { HackathonOverviewQuery as OverviewData } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { HackathonFormFields } from './hackathon-form-fields.js';
import { nextStatus, registrationWindowAfterClear, toFormValues, toUpdateVariables, type HackathonFormValues } from './hackathon-form.js';
import { MatchingTab } from './matching-tab.js';
import { RegistrationsTab, ResourcesTab, TeamsTab } from './hackathon-tabs.js';
import { JudgingTab, ResultsTab, RetentionTab, SubmissionsTab } from './judging-tabs.js';
import { apiMessage, STATUS_COLOR } from './hackathons-page.js';
import { ChangeHackathonStatusMutation, HackathonOverviewQuery, UpdateHackathonMutation } from './hackathons.operations.js';

type Overview = NonNullable<OverviewData['hackathon']>;

/**
 * One hackathon: its settings (edit in a drawer; move the status one step forward) and tabs for
 * registrations, teams, resources and requests, matching, submissions, judging, results and retention.
 * Each tab fetches only when opened.
 */
export function HackathonDetail({ slug, onBack }: { slug: string; onBack: () => void }) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: HackathonOverviewQuery, variables: { slug } });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const hackathon = result.data?.hackathon;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Flex align="center" gap={16} wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t('hackathons.back')}
        </Button>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {hackathon?.name ?? slug}
        </Typography.Title>
        {hackathon && <Tag color={STATUS_COLOR[hackathon.status]}>{t(`hackathons.status.${hackathon.status}`)}</Tag>}
      </Flex>
      {result.error && !result.data ? (
        <QueryError error={result.error} onRetry={refresh} />
      ) : !result.data ? (
        <QueryState fetching empty emptyText="" children={null} />
      ) : !hackathon ? (
        <Alert type="warning" showIcon title={t('hackathons.notFound', { slug })} />
      ) : (
        <>
          <OverviewCard hackathon={hackathon} onChanged={refresh} />
          <Card>
            <Tabs
              destroyOnHidden
              items={[
                { key: 'registrations', label: t('hackathons.tabs.registrations'), children: <RegistrationsTab slug={hackathon.slug} /> },
                { key: 'teams', label: t('hackathons.tabs.teams'), children: <TeamsTab slug={hackathon.slug} /> },
                { key: 'resources', label: t('hackathons.tabs.resources'), children: <ResourcesTab slug={hackathon.slug} /> },
                { key: 'matching', label: t('hackathons.tabs.matching'), children: <MatchingTab slug={hackathon.slug} /> },
                { key: 'submissions', label: t('hackathons.tabs.submissions'), children: <SubmissionsTab slug={hackathon.slug} /> },
                { key: 'judging', label: t('hackathons.tabs.judging'), children: <JudgingTab slug={hackathon.slug} /> },
                { key: 'results', label: t('hackathons.tabs.results'), children: <ResultsTab slug={hackathon.slug} /> },
                { key: 'retention', label: t('hackathons.tabs.retention'), children: <RetentionTab slug={hackathon.slug} /> },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}

function OverviewCard({ hackathon, onChanged }: { hackathon: Overview; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { message } = App.useApp();
  const [, setParams] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<HackathonFormValues>();
  const [updateState, updateHackathon] = useMutation(UpdateHackathonMutation);
  const [statusState, changeStatus] = useMutation(ChangeHackathonStatusMutation);
  const next = nextStatus(hackathon.status);

  function openEditor() {
    form.setFieldsValue(toFormValues(hackathon));
    setEditing(true);
  }

  async function onSave(values: HackathonFormValues) {
    const answer = await updateHackathon(toUpdateVariables(hackathon, values));
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    const rest = registrationWindowAfterClear(hackathon, values);
    if (rest) {
      const second = await updateHackathon(rest);
      if (second.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(second.error) }));
    }
    void message.success(t('hackathons.saved'));
    setEditing(false);
    // a changed slug moves the page: the overview is asked for by slug
    if (answer.data!.updateHackathon.slug !== hackathon.slug) {
      const moved = answer.data!.updateHackathon.slug;
      setParams((current) => {
        current.set('hackathon', moved);
        return current;
      });
    }
    onChanged();
  }

  async function onAdvance() {
    if (!next) return;
    const answer = await changeStatus({ id: hackathon.id, status: next });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.statusChanged', { status: t(`hackathons.status.${next}`) }));
    onChanged();
  }

  const none = t('hackathons.none');
  return (
    <Card
      title={t('hackathons.overview')}
      extra={
        <Space>
          {next && (
            <Popconfirm
              title={t('hackathons.advanceConfirm', { status: t(`hackathons.status.${next}`) })}
              description={t('hackathons.advanceHelp')}
              okText={t('hackathons.advance')}
              cancelText={t('hackathons.cancel')}
              onConfirm={() => void onAdvance()}
            >
              <Button icon={<StepForwardOutlined />} loading={statusState.fetching}>
                {t('hackathons.advanceTo', { status: t(`hackathons.status.${next}`) })}
              </Button>
            </Popconfirm>
          )}
          <Button type="primary" icon={<EditOutlined />} onClick={openEditor}>
            {t('hackathons.edit')}
          </Button>
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
        <Descriptions.Item label={t('hackathons.form.slug')}>{hackathon.slug}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.columns.ecosystem')}>{hackathon.ecosystemSlug}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.columns.status')}>{t(`hackathons.status.${hackathon.status}`)}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.columns.startsAt')}>{formatInstant(hackathon.startsAt, language)}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.columns.endsAt')}>{formatInstant(hackathon.endsAt, language)}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.anywhereOnEarth')}>{hackathon.anywhereOnEarth ? t('hackathons.yes') : t('hackathons.no')}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.registrationOpens')}>{hackathon.registrationOpensAt ? formatInstant(hackathon.registrationOpensAt, language) : t('hackathons.whileStatusAllows')}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.registrationCloses')}>{hackathon.registrationClosesAt ? formatInstant(hackathon.registrationClosesAt, language) : t('hackathons.whileStatusAllows')}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.teamSize')}>{t('hackathons.teamSizeRange', { min: hackathon.minTeamSize, max: hackathon.maxTeamSize })}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.form.trackedTopic')}>{hackathon.trackedTopic ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.form.optInLabel')}>{hackathon.optInLabel ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.eligibilityFrozen')}>{hackathon.eligibilityFrozenAt ? formatInstant(hackathon.eligibilityFrozenAt, language) : t('hackathons.notFrozen')}</Descriptions.Item>
        <Descriptions.Item label={t('hackathons.form.description')} span="filled">
          {hackathon.description || none}
        </Descriptions.Item>
      </Descriptions>
      <Drawer
        open={editing}
        title={t('hackathons.editTitle', { name: hackathon.name })}
        size={640}
        onClose={() => setEditing(false)}
        forceRender
        extra={
          <Space>
            <Button onClick={() => setEditing(false)}>{t('hackathons.cancel')}</Button>
            <Button type="primary" loading={updateState.fetching} onClick={() => form.submit()}>
              {t('hackathons.save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} name="hackathon-edit" layout="vertical" onFinish={(values) => void onSave(values)}>
          <HackathonFormFields />
        </Form>
      </Drawer>
    </Card>
  );
}
