import { Alert, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '../../components/query-state.js';
import type { JudgingWorkQuery as JudgingWorkData } from '../../graphql/generated/graphql.js';
import { useViewer } from '../../hooks/use-viewer.js';
import { JudgingWorkQuery } from './judging.operations.js';
import { ScoreDrawer } from './score-drawer.js';
import { scoringState, type ScoringState } from './score-form.js';

/** One hackathon the signed-in member judges, as the page's query answers it. */
export type JudgedHackathon = JudgingWorkData['viewer']['judgedHackathons'][number];
/** A submission assigned to the judge. */
export type AssignedSubmission = JudgedHackathon['submissions'][number];

const pagination = { pageSize: 20, hideOnSinglePage: true, showSizeChanger: false } as const;
const STATE_COLORS: Record<ScoringState, string> = { scored: 'success', partial: 'warning', notStarted: 'default' };

/**
 * Judging: for a signed-in judge, per hackathon they judge the submissions assigned to them (team, title,
 * link, how far they scored it) and a score form per submission. Scoring is open while the hackathon is
 * in judging; the api refuses it otherwise, and the page says so.
 */
export function JudgingPage() {
  const { t } = useTranslation();
  const { viewer, fetching: viewerFetching, error: viewerError } = useViewer();
  const judge = viewer?.kind === 'SESSION' ? viewer.githubLogin : null;
  const [result, refetch] = useQuery({ query: JudgingWorkQuery, variables: { judge: judge ?? '' }, pause: !judge });
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const hackathons = result.data?.viewer.judgedHackathons ?? [];

  const content = !judge ? (
    <QueryState fetching={viewerFetching} error={viewerError} empty emptyText={t('judging.signIn')}>
      {null}
    </QueryState>
  ) : (
    <QueryState fetching={result.fetching} error={result.error} empty={hackathons.length === 0} emptyText={t('judging.notJudge')} onRetry={refresh}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        {hackathons.map((hackathon) => (
          <HackathonScoring key={hackathon.id} hackathon={hackathon} judge={judge} onScored={refresh} />
        ))}
      </Space>
    </QueryState>
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('judging.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('judging.intro')}
      </Typography.Paragraph>
      {content}
    </Space>
  );
}

/** One hackathon's card: whether scoring is open, and the judge's assigned submissions. */
function HackathonScoring({ hackathon, judge, onScored }: { hackathon: JudgedHackathon; judge: string; onScored: () => void }) {
  const { t } = useTranslation();
  const [scoring, setScoring] = useState<AssignedSubmission | null>(null);
  const open = hackathon.status === 'JUDGING';
  const criteria = hackathon.judgingCriteria;
  const scores = hackathon.judgeScores;
  // `submissions` holds what the viewer may read; an organiser who also judges reads them all, so keep the assigned ones
  const byId = new Map(hackathon.submissions.map((submission) => [submission.id, submission]));
  const assigned = hackathon.judgeAssignments.map((assignment) => byId.get(assignment.submissionId)).filter((row): row is AssignedSubmission => row != null);

  const columns: TableColumnsType<AssignedSubmission> = [
    { title: t('judging.columns.team'), key: 'team', render: (_, row) => row.team.name },
    { title: t('judging.columns.title'), dataIndex: 'title' },
    {
      title: t('judging.columns.link'),
      dataIndex: 'repositoryUrl',
      render: (url: string | null) => (url ? <Typography.Link href={url} target="_blank" rel="noreferrer">{url}</Typography.Link> : '—'),
    },
    {
      title: t('judging.columns.scored'),
      key: 'scored',
      render: (_, row) => {
        const { state, scored } = scoringState(criteria, scores, row.id);
        return (
          <Tag color={STATE_COLORS[state]} data-testid={`scoring-state-${row.id}`}>
            {t(`judging.state.${state}`, { scored, total: criteria.length })}
          </Tag>
        );
      },
    },
    {
      title: t('judging.columns.action'),
      key: 'action',
      render: (_, row) => (
        <Typography.Link disabled={!open || criteria.length === 0} onClick={() => setScoring(row)}>
          {scoringState(criteria, scores, row.id).state === 'notStarted' ? t('judging.score') : t('judging.rescore')}
        </Typography.Link>
      ),
    },
  ];

  return (
    <Card
      title={
        <Space>
          {hackathon.name}
          <Tag color={open ? 'processing' : 'default'}>{t(`hackathons.status.${hackathon.status}`)}</Tag>
        </Space>
      }
      data-testid={`judging-${hackathon.slug}`}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {!open && <Alert type="info" showIcon title={hackathon.status === 'FINISHED' ? t('judging.closed') : t('judging.notOpen')} />}
        {open && criteria.length === 0 && <Alert type="warning" showIcon title={t('judging.noCriteria')} />}
        {assigned.length === 0 ? (
          <Empty description={t('judging.noAssignments')} />
        ) : (
          <Table<AssignedSubmission> rowKey="id" size="small" columns={columns} dataSource={assigned} pagination={pagination} />
        )}
      </Space>
      {scoring && (
        <ScoreDrawer
          hackathon={hackathon}
          judge={judge}
          submission={scoring}
          onClose={() => setScoring(null)}
          onScored={() => {
            setScoring(null);
            onScored();
          }}
        />
      )}
    </Card>
  );
}

