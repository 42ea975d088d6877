import { App, Form, Modal } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { apiMessage } from './hackathons-page.js';

/** What saving an edit came to: nothing to send, the api's refusal, or the message that says it was saved. */
export type EditOutcome = { nothingChanged: true } | { error: CombinedError } | { saved: string };

/** Props of {@link EditModal}: `row` is what is edited (null: the modal is closed). */
export interface EditModalProps<Row, Values extends object> {
  row: Row | null;
  /** The form's name (its fields' ids start with it). */
  formName: string;
  title: (row: Row) => string;
  /** The form's values for the row when the modal opens. */
  toValues: (row: Row) => Values;
  /** Sends the change (only what changed), or says there was nothing to send. */
  save: (row: Row, values: Values) => Promise<EditOutcome>;
  /** Whether the mutation is in flight (the OK button spins). */
  saving: boolean;
  onClose: () => void;
  /** Called after a save the api accepted (the tab refetches its query). */
  onSaved: () => void;
  /** The form's fields. */
  children: ReactNode;
}

/**
 * An Ant Design modal with a form that edits one row: filled from the row when it opens, validated by the
 * fields' rules, saved through `save`; the api's refusal is shown with its own message and keeps the modal
 * open, "nothing changed" closes it without a request.
 */
export function EditModal<Row, Values extends object>({ row, formName, title, toValues, save, saving, onClose, onSaved, children }: EditModalProps<Row, Values>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    // the row alone decides the values: `toValues` is a pure mapping
    if (row) form.setFieldsValue(toValues(row) as Parameters<typeof form.setFieldsValue>[0]);
  }, [row, form]);

  async function onFinish(values: Values) {
    if (!row) return;
    const outcome = await save(row, values);
    if ('nothingChanged' in outcome) {
      void message.info(t('hackathons.nothingChanged'));
      return onClose();
    }
    if ('error' in outcome) return void message.error(t('hackathons.actionFailed', { message: apiMessage(outcome.error) }));
    void message.success(outcome.saved);
    onClose();
    onSaved();
  }

  return (
    <Modal
      open={row !== null}
      title={row ? title(row) : undefined}
      okText={t('hackathons.save')}
      cancelText={t('hackathons.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name={formName} layout="vertical" onFinish={(values) => void onFinish(values)}>
        {children}
      </Form>
    </Modal>
  );
}
