import { App, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { EditModal, type EditOutcome } from './edit-modal.js';
import { apiMessage } from './hackathons-page.js';
import { AssignJudgeMutation, UpdateJudgingCriterionMutation } from './hackathons.operations.js';
import { invalidScale, toCriterionFormValues, toCriterionUpdate, type CriterionFormSource, type CriterionFormValues } from './judging-form.js';

/** Edits a judging criterion in a modal (only the changed fields are sent); `onSaved` refreshes the tab. */
export function EditCriterionModal({ criterion, onClose, onSaved }: { criterion: CriterionFormSource | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [state, updateCriterion] = useMutation(UpdateJudgingCriterionMutation);

  async function save(row: CriterionFormSource, values: CriterionFormValues): Promise<EditOutcome> {
    const variables = toCriterionUpdate(row, values);
    if (!variables) return { nothingChanged: true };
    const answer = await updateCriterion(variables);
    return answer.error ? { error: answer.error } : { saved: t('hackathons.judging.criterionSaved', { name: answer.data!.updateJudgingCriterion.name }) };
  }

  return (
    <EditModal
      row={criterion}
      formName="edit-criterion"
      title={(row) => t('hackathons.judging.editCriterion', { name: row.name })}
      toValues={toCriterionFormValues}
      save={save}
      saving={state.fetching}
      onClose={onClose}
      onSaved={onSaved}
    >
      <Form.Item name="name" label={t('hackathons.judging.criterion')} rules={[{ required: true, whitespace: true, message: t('hackathons.judging.criterionRequired') }, { max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="description" label={t('hackathons.form.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      <Space size="large" align="start">
        <Form.Item name="weight" label={t('hackathons.judging.weight')} rules={[{ required: true, message: t('hackathons.judging.weightRequired') }]}>
          <InputNumber min={0.01} step={0.5} />
        </Form.Item>
        <Form.Item name="scaleMin" label={t('hackathons.judging.scaleMin')} rules={[{ required: true, message: t('hackathons.judging.scaleRequired') }]}>
          <InputNumber />
        </Form.Item>
        <Form.Item
          name="scaleMax"
          label={t('hackathons.judging.scaleMax')}
          dependencies={['scaleMin']}
          rules={[
            { required: true, message: t('hackathons.judging.scaleRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: number | null) => {
                const invalid = invalidScale(getFieldValue('scaleMin') as number | null, value);
                return invalid ? Promise.reject(new Error(t('hackathons.judging.scaleOrder', { min: invalid.scaleMin }))) : Promise.resolve();
              },
            }),
          ]}
        >
          <InputNumber />
        </Form.Item>
      </Space>
    </EditModal>
  );
}

/** A judge the assign form offers: member id and login. */
export interface JudgeChoice {
  memberId: string;
  login: string;
}

/** A submission the assign form offers. */
export interface SubmissionChoice {
  id: string;
  title: string;
  teamName: string;
}

/** Assigns a judge to a submission by hand (the api refuses conflicts of interest and says which); `onSaved` refreshes. */
export function AssignJudgeModal({
  open,
  slug,
  judges,
  submissions,
  onClose,
  onSaved,
}: {
  open: boolean;
  slug: string;
  judges: JudgeChoice[];
  submissions: SubmissionChoice[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ judge: string; submission: string }>();
  const [state, assignJudge] = useMutation(AssignJudgeMutation);

  async function onAssign(values: { judge: string; submission: string }) {
    const answer = await assignJudge({ hackathon: slug, judge: values.judge, submission: values.submission });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    const login = judges.find((judge) => judge.memberId === values.judge)?.login ?? values.judge;
    const title = submissions.find((submission) => submission.id === values.submission)?.title ?? values.submission;
    void message.success(t('hackathons.judging.judgeAssigned', { login, title }));
    form.resetFields();
    onClose();
    onSaved();
  }

  return (
    <Modal
      open={open}
      title={t('hackathons.judging.assignTitle')}
      okText={t('hackathons.judging.assign')}
      cancelText={t('hackathons.cancel')}
      confirmLoading={state.fetching}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name="assign-judge" layout="vertical" onFinish={(values) => void onAssign(values)}>
        <Form.Item name="judge" label={t('hackathons.judging.judge')} rules={[{ required: true, message: t('hackathons.judging.judgeRequired') }]}>
          <Select showSearch optionFilterProp="label" options={judges.map((judge) => ({ value: judge.memberId, label: judge.login }))} />
        </Form.Item>
        <Form.Item name="submission" label={t('hackathons.judging.submission')} rules={[{ required: true, message: t('hackathons.judging.submissionRequired') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={submissions.map((submission) => ({ value: submission.id, label: `${submission.title} · ${submission.teamName}` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
