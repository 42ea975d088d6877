import { Alert, Card, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CombinedError } from 'urql';
import { QueryError, errorCodes } from '../../components/query-state.js';
import type { HackathonStatus, MemberDetailQuery } from '../../graphql/generated/graphql.js';
import { formatInstant } from '../../lib/format.js';

/** One row of the section: a hackathon the member registered for. */
export type MemberHackathonRow = NonNullable<NonNullable<MemberDetailQuery['member']>['hackathons']>[number];

/** Hackathons a page of the section's table shows. */
export const MEMBER_HACKATHONS_PAGE_SIZE = 10;

/** Tag colour of a hackathon's status, draft (grey) to finished (gold), as on the Hackathons page. */
const STATUS_COLOR: Record<HackathonStatus, string> = {
  DRAFT: 'default',
  REGISTRATION_OPEN: 'blue',
  RUNNING: 'green',
  JUDGING: 'purple',
  FINISHED: 'gold',
};

/** The console path of a hackathon's page (the Hackathons page with the event open). */
export function hackathonPath(hackathon: { slug: string; ecosystemSlug: string }): string {
  return `/hackathons?${new URLSearchParams({ ecosystem: hackathon.ecosystemSlug, hackathon: hackathon.slug })}`;
}

/**
 * The member page's "Hackathons" section: each hackathon the member registered for (withdrawn ones too), its
 * dates and status, the registration, the team (captain or member), the submission, the published result and
 * the resources allocated. `hackathons` is null when the api refused or failed the field (`error` says why);
 * an empty list says the member registered for none (or none the viewer organises).
 */
export function MemberHackathons({ hackathons, error }: { hackathons: MemberHackathonRow[] | null; error?: CombinedError }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const title = t('members.hackathons.title');

  if (hackathons === null) {
    const refused = error && errorCodes(error).some((code) => code === 'FORBIDDEN' || code === 'UNAUTHENTICATED');
    return (
      <Card size="small" title={title} data-testid="member-hackathons">
        {refused || !error ? <Alert type="info" showIcon title={t('members.hackathons.refused')} /> : <QueryError error={error} />}
      </Card>
    );
  }

  const columns: TableColumnsType<MemberHackathonRow> = [
    {
      title: t('members.hackathons.hackathon'),
      key: 'hackathon',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Link to={hackathonPath(row.hackathon)}>{row.hackathon.name}</Link>
          <span>
            <Tag color={STATUS_COLOR[row.hackathon.status]}>{t(`hackathons.status.${row.hackathon.status}`)}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.hackathon.ecosystemSlug}
            </Typography.Text>
          </span>
        </Space>
      ),
    },
    {
      title: t('members.hackathons.dates'),
      key: 'dates',
      render: (_, row) => `${formatInstant(row.hackathon.startsAt, language)} – ${formatInstant(row.hackathon.endsAt, language)}`,
    },
    {
      title: t('members.hackathons.registration'),
      key: 'registration',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Tag color={row.status === 'WITHDRAWN' ? 'orange' : 'green'}>{t(`members.hackathons.status.${row.status}`)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.withdrawnAt
              ? t('members.hackathons.withdrawnAt', { at: formatInstant(row.withdrawnAt, language) })
              : t('members.hackathons.registeredAt', { at: formatInstant(row.registeredAt, language) })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('members.hackathons.team'),
      key: 'team',
      render: (_, row) =>
        row.team ? (
          <span>
            {row.team.name} <Tag>{t(row.isCaptain ? 'members.hackathons.captain' : 'members.hackathons.teamMember')}</Tag>
          </span>
        ) : (
          <Typography.Text type="secondary">{t('members.hackathons.noTeam')}</Typography.Text>
        ),
    },
    {
      title: t('members.hackathons.submission'),
      key: 'submission',
      render: (_, row) => {
        if (!row.submission) return <Typography.Text type="secondary">{t('members.hackathons.noSubmission')}</Typography.Text>;
        const url = row.submission.repositoryUrl ?? row.submission.links[0] ?? null;
        return url ? (
          <Typography.Link href={url} target="_blank" rel="noreferrer">
            {row.submission.title}
          </Typography.Link>
        ) : (
          row.submission.title
        );
      },
    },
    {
      title: t('members.hackathons.result'),
      key: 'result',
      render: (_, row) => {
        if (!row.result) return <Typography.Text type="secondary">{t(row.hackathon.status === 'FINISHED' && row.submission ? 'members.hackathons.unranked' : 'members.hackathons.notPublished')}</Typography.Text>;
        if (row.result.rank === null) return t('members.hackathons.unranked');
        return t('members.hackathons.rank', {
          rank: row.result.rank,
          of: row.result.submissions,
          score: row.result.score === null ? '—' : row.result.score.toLocaleString(language, { maximumFractionDigits: 1 }),
        });
      },
    },
    {
      title: t('members.hackathons.resources'),
      key: 'allocations',
      render: (_, row) =>
        row.allocations.length === 0 ? (
          <Typography.Text type="secondary">{t('members.hackathons.noResources')}</Typography.Text>
        ) : (
          <Space orientation="vertical" size={0}>
            {row.allocations.map((allocation) => (
              <span key={allocation.resourceId}>
                {t('members.hackathons.allocation', { resource: allocation.resourceName, units: allocation.units, kind: t(`hackathons.kind.${allocation.resourceKind}`) })}
              </span>
            ))}
          </Space>
        ),
    },
  ];

  return (
    <Card size="small" title={t('members.hackathons.count', { count: hackathons.length })} data-testid="member-hackathons">
      <Table<MemberHackathonRow>
        rowKey="registrationId"
        size="small"
        columns={columns}
        dataSource={hackathons}
        pagination={{ pageSize: MEMBER_HACKATHONS_PAGE_SIZE, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('members.hackathons.none') }}
      />
    </Card>
  );
}
