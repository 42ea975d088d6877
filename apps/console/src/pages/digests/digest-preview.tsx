import { Alert, Card, DatePicker, Descriptions, Empty, Flex, Form, Input, Segmented, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryError, QueryState } from '../../components/query-state.js';
import type { Language } from '../../i18n/i18n.js';
import { formatInstant } from '../../lib/format.js';
import { memberName, memberRef } from '../members/member-ref.js';
import { MemberLookupQuery } from '../members/members.operations.js';
import { DigestPreviewQuery } from './digests.operations.js';
import { isoWeekOfDay, mondayOfIsoWeek } from './iso-week.js';

/** What the preview shows: a member as typed (login or id), an ISO week, a digest language. */
export interface PreviewChoice {
  member: string | null;
  week: string;
  locale: Language;
}

/** Height (px) of the frame the digest's HTML is shown in. */
const FRAME_HEIGHT = 760;

/**
 * The preview tab: a member picked by GitHub login (or member id), an ISO week and a language; the
 * digest as the composer would send it: subject, the HTML part in a sandboxed frame (no scripts, no
 * navigation, no forms) and the text part, or why that member gets none that week.
 */
export function DigestPreviewTab({ choice, onChange }: { choice: PreviewChoice; onChange: (changes: Partial<PreviewChoice>) => void }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('digests.preview.member')}>
            <Input.Search
              key={choice.member ?? ''}
              data-testid="digest-member"
              defaultValue={choice.member ?? ''}
              placeholder={t('digests.preview.memberPlaceholder')}
              enterButton={t('digests.preview.show')}
              allowClear
              style={{ width: 340 }}
              onSearch={(value) => onChange({ member: value.trim() || null })}
            />
          </Form.Item>
          <Form.Item label={t('digests.week')}>
            <DatePicker
              data-testid="digest-week"
              picker="week"
              allowClear={false}
              value={mondayOfIsoWeek(choice.week)}
              format={(value) => isoWeekOfDay(value)}
              onChange={(value) => value && onChange({ week: isoWeekOfDay(value) })}
            />
          </Form.Item>
          <Form.Item label={t('digests.preview.language')}>
            <Segmented<Language>
              data-testid="digest-language"
              value={choice.locale}
              options={[
                { value: 'en', label: 'English' },
                { value: 'zh-CN', label: '简体中文' },
              ]}
              onChange={(locale) => onChange({ locale })}
            />
          </Form.Item>
        </Form>
      </Card>
      {choice.member ? (
        <MemberPreview reference={choice.member} week={choice.week} locale={choice.locale} />
      ) : (
        <Empty description={t('digests.preview.pickMember')} />
      )}
    </Flex>
  );
}

/** Resolves the typed member (login or id), then previews their digest. */
function MemberPreview({ reference, week, locale }: { reference: string; week: string; locale: Language }) {
  const { t } = useTranslation();
  const ref = memberRef(reference);
  const [lookup, refetch] = useQuery({ query: MemberLookupQuery, variables: ref ?? {}, pause: !ref });
  const member = lookup.data?.member;
  const retry = () => refetch({ requestPolicy: 'network-only' });
  return (
    <QueryState fetching={lookup.fetching} error={lookup.error} empty={!member} emptyText={t('digests.preview.noMember', { member: reference })} onRetry={retry}>
      {member && (
        <Flex vertical gap={12}>
          {member.mergedInto && <Alert type="info" showIcon title={t('digests.preview.merged', { member: memberName(member) })} />}
          <PreviewResult memberId={member.mergedInto?.id ?? member.id} name={memberName(member)} week={week} locale={locale} />
        </Flex>
      )}
    </QueryState>
  );
}

function PreviewResult({ memberId, name, week, locale }: { memberId: string; name: string; week: string; locale: Language }) {
  const { t, i18n } = useTranslation();
  const [result, refetch] = useQuery({ query: DigestPreviewQuery, variables: { member: memberId, week, locale } });
  const preview = result.data?.digestPreview;
  const retry = () => refetch({ requestPolicy: 'network-only' });
  if (result.error) return <QueryError error={result.error} onRetry={retry} />;
  return (
    <QueryState fetching={result.fetching} empty={!preview} emptyText="" onRetry={retry}>
      {preview && (
        <Card size="small" data-testid="digest-preview" loading={result.fetching}>
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'member', label: t('digests.preview.member'), children: name },
              { key: 'week', label: t('digests.week'), children: preview.week },
              {
                key: 'span',
                label: t('digests.preview.span'),
                children: `${formatInstant(preview.weekStart, i18n.language)} – ${formatInstant(preview.weekEnd, i18n.language)}`,
              },
              { key: 'zone', label: t('digests.preview.timeZone'), children: preview.timeZone },
              { key: 'locale', label: t('digests.preview.language'), children: preview.locale === 'zh-CN' ? '简体中文' : 'English' },
              {
                key: 'subject',
                label: t('digests.preview.subject'),
                children: preview.subject ? <Typography.Text strong data-testid="digest-subject">{preview.subject}</Typography.Text> : '—',
              },
            ]}
          />
          {preview.hasDigest ? (
            <Tabs
              items={[
                {
                  key: 'html',
                  label: t('digests.preview.html'),
                  children: (
                    <iframe
                      data-testid="digest-html"
                      title={t('digests.preview.htmlTitle', { subject: preview.subject ?? '' })}
                      sandbox=""
                      referrerPolicy="no-referrer"
                      srcDoc={preview.html ?? ''}
                      style={{ width: '100%', height: FRAME_HEIGHT, border: '1px solid #f0f0f0', borderRadius: 6, background: '#fff' }}
                    />
                  ),
                },
                {
                  key: 'text',
                  label: t('digests.preview.text'),
                  children: (
                    <pre data-testid="digest-text" style={{ whiteSpace: 'pre-wrap', fontSize: 13, margin: 0, maxHeight: FRAME_HEIGHT, overflow: 'auto' }}>
                      {preview.text}
                    </pre>
                  ),
                },
              ]}
            />
          ) : (
            <Alert
              data-testid="digest-empty"
              type="info"
              showIcon
              title={t('digests.preview.none', { member: name, week: preview.week })}
              description={preview.emptyReason}
            />
          )}
        </Card>
      )}
    </QueryState>
  );
}
