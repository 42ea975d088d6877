import { Space, Tabs, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Language } from '../../i18n/i18n.js';
import { DigestLedgerTab } from './digest-ledger.js';
import { DigestPreviewTab, type PreviewChoice } from './digest-preview.js';
import { DigestUnsubscribesTab } from './digest-unsubscribes.js';
import { lastEndedWeek, mondayOfIsoWeek } from './iso-week.js';

type DigestsTab = 'preview' | 'ledger' | 'unsubscribes';
const TABS: DigestsTab[] = ['preview', 'ledger', 'unsubscribes'];

/**
 * Digests: preview any member's weekly digest for any ISO week in English or Simplified Chinese
 * (`?member=<login or id>&week=YYYY-Www&lang=en|zh-CN`), the send ledger (`?tab=ledger`, `&ledgerWeek=`)
 * and the members who unsubscribed (`?tab=unsubscribes`). Only the open tab queries the api.
 */
export function DigestsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as DigestsTab) : 'preview';
  const defaultWeek = useMemo(() => lastEndedWeek(new Date()), []);
  const lang = params.get('lang');
  const choice: PreviewChoice = {
    member: params.get('member'),
    week: mondayOfIsoWeek(params.get('week')) ? params.get('week')! : defaultWeek,
    locale: lang === 'en' || lang === 'zh-CN' ? lang : (i18n.language as Language),
  };
  const ledgerWeek = mondayOfIsoWeek(params.get('ledgerWeek')) ? params.get('ledgerWeek') : null;

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  }

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('digests.title')}
      </Typography.Title>
      <Tabs
        destroyOnHidden
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'preview' ? null : key })}
        items={[
          {
            key: 'preview',
            label: t('digests.tabs.preview'),
            children: <DigestPreviewTab choice={choice} onChange={(changes) => update({ member: changes.member === undefined ? choice.member : changes.member, week: changes.week ?? choice.week, lang: changes.locale ?? choice.locale })} />,
          },
          { key: 'ledger', label: t('digests.tabs.ledger'), children: <DigestLedgerTab week={ledgerWeek} onWeek={(week) => update({ ledgerWeek: week })} /> },
          { key: 'unsubscribes', label: t('digests.tabs.unsubscribes'), children: <DigestUnsubscribesTab /> },
        ]}
      />
    </Space>
  );
}
