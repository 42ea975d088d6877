import { Button, Card, DatePicker, Descriptions, Flex, Form, InputNumber, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { LeaderboardQuery as LeaderboardData, LeaderboardWeightsInput, PeriodInput, PeriodPreset } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';
import { periodVariables } from '../funnel/funnel-data.js';
import { LeaderboardQuery, LeaderboardRepositoriesQuery } from './leaderboard.operations.js';

type EntryRow = LeaderboardData['leaderboard']['entries'][number];
type WeightKey = keyof LeaderboardData['leaderboard']['weights'] & keyof LeaderboardWeightsInput;

/** The counts a score weighs, in the order the table shows them. */
export const WEIGHT_KEYS: WeightKey[] = ['commits', 'pullRequestsOpened', 'pullRequestsMerged', 'reviews', 'issuesOpened', 'comments'];
const PRESETS: PeriodPreset[] = ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_365_DAYS', 'ALL_TIME'];
const SIZES = [10, 25, 50, 100];

/**
 * Leaderboards: the top members of a window (a preset or UTC days), in one repository or all, scored
 * with weights the organiser sets (0–100 points per count; the api's defaults until changed).
 */
export function LeaderboardPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [preset, setPreset] = useState<PeriodPreset | 'CUSTOM'>('LAST_30_DAYS');
  const [days, setDays] = useState<[string | null, string | null] | null>(null);
  const [repository, setRepository] = useState<string | undefined>();
  const [first, setFirst] = useState(10);
  const [weights, setWeights] = useState<LeaderboardWeightsInput | null>(null);
  const [form] = Form.useForm<LeaderboardWeightsInput>();
  const [repositories] = useQuery({ query: LeaderboardRepositoriesQuery });
  const custom = periodVariables(days);
  const period: PeriodInput = preset === 'CUSTOM' ? { since: custom.from ?? null, until: custom.to ?? null } : { preset };
  const [result, refetch] = useQuery({ query: LeaderboardQuery, variables: { first, period, repository: repository ?? null, weights } });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const board = result.data?.leaderboard;

  const columns: TableColumnsType<EntryRow> = [
    { title: t('leaderboard.columns.rank'), dataIndex: 'rank', align: 'right', width: 70 },
    { title: t('leaderboard.columns.member'), key: 'member', render: (_, row) => row.member.login ?? row.member.displayName ?? row.member.id },
    { title: t('leaderboard.columns.score'), dataIndex: 'score', align: 'right', render: (score: number, row) => <strong data-testid={`score-${row.member.login ?? row.member.id}`}>{score.toLocaleString(language)}</strong> },
    ...WEIGHT_KEYS.map((key) => ({ title: t(`leaderboard.weight.${key}`), dataIndex: key, align: 'right' as const })),
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('leaderboard.title')}
      </Typography.Title>
      <Card title={t('leaderboard.filters')}>
        <Flex gap={16} wrap align="center">
          <Select
            aria-label={t('leaderboard.period')}
            value={preset}
            style={{ width: 180 }}
            options={[...PRESETS, 'CUSTOM' as const].map((value) => ({ value, label: t(`leaderboard.preset.${value}`) }))}
            onChange={setPreset}
          />
          {preset === 'CUSTOM' && (
            <DatePicker.RangePicker allowEmpty={[true, true]} format="YYYY-MM-DD" onChange={(_: unknown, picked: [string, string]) => setDays([picked[0] || null, picked[1] || null])} />
          )}
          <Select
            aria-label={t('leaderboard.repository')}
            allowClear
            showSearch
            placeholder={t('leaderboard.anyRepository')}
            style={{ width: 260 }}
            loading={repositories.fetching}
            value={repository}
            options={(repositories.data?.repositories ?? []).map((item) => ({ value: item.fullName, label: item.fullName }))}
            onChange={(value?: string) => setRepository(value)}
          />
          <Select aria-label={t('leaderboard.size')} value={first} style={{ width: 120 }} options={SIZES.map((value) => ({ value, label: t('leaderboard.top', { count: value }) }))} onChange={setFirst} />
        </Flex>
        {repositories.error && <QueryError error={repositories.error} />}
        <Form form={form} layout="inline" style={{ marginTop: 16, rowGap: 8 }} onFinish={(values) => setWeights(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined)))}>
          {WEIGHT_KEYS.map((key) => (
            <Form.Item key={key} name={key} label={t(`leaderboard.weight.${key}`)}>
              <InputNumber min={0} max={100} precision={0} placeholder={board ? String(board.weights[key]) : undefined} style={{ width: 80 }} />
            </Form.Item>
          ))}
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                {t('leaderboard.apply')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setWeights(null);
                }}
              >
                {t('leaderboard.defaults')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <Card title={t('leaderboard.ranking')}>
        {result.error && board && <QueryError error={result.error} onRetry={refresh} />}
        <QueryState fetching={result.fetching} error={board ? undefined : result.error} empty={!board} emptyText="" onRetry={refresh}>
          {board && (
            <>
              <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}>
                <Descriptions.Item label={t('leaderboard.since')}>{board.since ? formatInstant(board.since, language) : t('leaderboard.beginning')}</Descriptions.Item>
                <Descriptions.Item label={t('leaderboard.until')}>{formatInstant(board.until, language)}</Descriptions.Item>
                <Descriptions.Item label={t('leaderboard.weights')} span={2}>
                  {WEIGHT_KEYS.map((key) => `${t(`leaderboard.weight.${key}`)} ×${board.weights[key]}`).join(' · ')}
                </Descriptions.Item>
              </Descriptions>
              <Table<EntryRow>
                rowKey={(row) => row.member.id}
                size="small"
                columns={columns}
                dataSource={board.entries}
                loading={result.fetching}
                pagination={false}
                locale={{ emptyText: t('leaderboard.empty') }}
              />
            </>
          )}
        </QueryState>
      </Card>
    </Space>
  );
}
