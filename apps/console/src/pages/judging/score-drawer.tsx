import { Alert, App, Button, Card, Drawer, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, type CombinedError } from 'urql';
import type { AssignedSubmission, JudgedHackathon } from './judging-page.js';
import { ScoreSubmissionMutation } from './judging.operations.js';
import { initialScoreValues, MAX_COMMENT, scoreCalls, scoreProblem, type ScoreFormValues } from './score-form.js';

/** The api's reasons for refusing a score that the page words itself (`extensions.reason`), by message key below `judging.refused.`. */
const REFUSALS: Record<string, string> = {
  JUDGING_STATUS_CONFLICT: 'closed',
  JUDGE_NOT_ASSIGNED_CONFLICT: 'notAssigned',
  JUDGE_ON_TEAM_CONFLICT: 'conflict',
  JUDGE_SAME_ORGANIZATION_CONFLICT: 'conflict',
};

/** What the api said when it refused a score: the page's words for a known reason, with the api's message. */
function refusal(error: CombinedError, t: (key: string) => string): { title: string; detail: string } {
  const reason = error.graphQLErrors.map((item) => item.extensions?.reason).find((value): value is string => typeof value === 'string');
  const detail = error.graphQLErrors.map((item) => item.message).join(' · ') || error.message;
  return { title: reason && REFUSALS[reason] ? t(`judging.refused.${REFUSALS[reason]}`) : t('judging.refused.other'), detail };
}

/**
 * The score form of one submission: a value within each criterion's scale (its weight shown) and an
 * optional comment per criterion. Saving sends one `scoreSubmission` per changed criterion, in order, and
 * stops at the first refusal, which it shows.
 */
export function ScoreDrawer(props: {
  hackathon: JudgedHackathon;
  judge: string;
  submission: AssignedSubmission;
  onClose: () => void;
  onScored: () => void;
}) {
  const { hackathon, judge, submission } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ScoreFormValues>();
  const [, score] = useMutation(ScoreSubmissionMutation);
  const [saving, setSaving] = useState(false);
  const [refused, setRefused] = useState<{ title: string; detail: string } | null>(null);
  const criteria = hackathon.judgingCriteria;

  async function onSave(values: ScoreFormValues) {
    setRefused(null);
    const calls = scoreCalls(criteria, hackathon.judgeScores, submission.id, values);
    if (calls.length === 0) {
      void message.info(t('judging.form.unchanged'));
      return props.onClose();
    }
    setSaving(true);
    try {
      for (const call of calls) {
        const answer = await score({ hackathon: hackathon.slug, judge, ...call });
        if (answer.error) {
          setRefused(refusal(answer.error, t));
          return;
        }
      }
      void message.success(t('judging.form.saved', { title: submission.title }));
      props.onScored();
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      open
      size={560}
      title={t('judging.form.title', { title: submission.title, team: submission.team.name })}
      onClose={props.onClose}
      extra={
        <Button type="primary" loading={saving} onClick={() => form.submit()}>
          {t('judging.form.save')}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {refused && <Alert type="error" showIcon role="alert" title={refused.title} description={refused.detail} />}
        <Form<ScoreFormValues> form={form} layout="vertical" initialValues={initialScoreValues(criteria, hackathon.judgeScores, submission.id)} onFinish={(values) => void onSave(values)}>
          {criteria.map((criterion) => (
            <Card key={criterion.id} size="small" style={{ marginBottom: 12 }}>
              <Form.Item
                name={[criterion.id, 'value']}
                label={t('judging.form.criterion', { name: criterion.name, min: criterion.scaleMin, max: criterion.scaleMax, weight: criterion.weight })}
                extra={criterion.description || undefined}
                rules={[
                  {
                    validator: async (_, value: number | null) => {
                      const problem = scoreProblem(value, criterion);
                      if (problem) throw new Error(t(`judging.form.${problem}`, { min: criterion.scaleMin, max: criterion.scaleMax }));
                    },
                  },
                ]}
              >
                <InputNumber style={{ width: 160 }} aria-label={criterion.name} />
              </Form.Item>
              <Form.Item name={[criterion.id, 'comment']} label={t('judging.form.comment')}>
                <Input.TextArea rows={2} maxLength={MAX_COMMENT} aria-label={t('judging.form.commentOn', { name: criterion.name })} />
              </Form.Item>
            </Card>
          ))}
        </Form>
        <Typography.Text type="secondary">{t('judging.form.note')}</Typography.Text>
      </Space>
    </Drawer>
  );
}
