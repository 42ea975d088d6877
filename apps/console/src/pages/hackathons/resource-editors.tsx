import { App, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { ResourceKind } from '../../graphql/generated/graphql.js';
import { apiMessage } from './hackathons-page.js';
import { UpdateResourceMutation, UpdateResourceRequestMutation } from './hackathons.operations.js';
import {
  toRequestFormValues,
  toRequestUpdate,
  toResourceFormValues,
  toResourceUpdate,
  type RequestFormSource,
  type RequestFormValues,
  type ResourceFormSource,
  type ResourceFormValues,
} from './resource-form.js';

export const RESOURCE_KINDS: ResourceKind[] = ['GPU_HOURS', 'API_CREDITS', 'DATASET', 'MENTOR_HOURS', 'OTHER'];

/**
 * The fields of the resource form, for adding one (`editing` false: kind and mentor chosen) and editing one
 * (kind shown but fixed, no mentor: the api does not change them).
 */
export function ResourceFormFields({ kind, editing }: { kind: ResourceKind | undefined; editing: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('hackathons.columns.resource')} rules={[{ required: true, whitespace: true, message: t('hackathons.resourceNameRequired') }, { max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={t('hackathons.columns.kind')} extra={editing ? t('hackathons.kindFixed') : undefined}>
        <Select disabled={editing} options={RESOURCE_KINDS.map((value) => ({ value, label: t(`hackathons.kind.${value}`) }))} />
      </Form.Item>
      {!editing && kind === 'MENTOR_HOURS' && (
        <Form.Item name="mentorMemberId" label={t('hackathons.mentor')} rules={[{ required: true, message: t('hackathons.mentorRequired') }]}>
          <Input />
        </Form.Item>
      )}
      <Form.Item name="sponsor" label={t('hackathons.columns.sponsor')} rules={[{ max: 200 }]}>
        <Input />
      </Form.Item>
      <Space size="large">
        <Form.Item name="capacity" label={t('hackathons.columns.capacity')} rules={[{ required: true, message: t('hackathons.capacityRequired') }]}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item name="perTeamMax" label={t('hackathons.columns.perTeamMax')} rules={[{ required: true, message: t('hackathons.perTeamMaxRequired') }]}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item name="eligibilityMinTeamSize" label={t('hackathons.eligibilityMinTeamSize')}>
          <InputNumber min={1} max={100} precision={0} />
        </Form.Item>
      </Space>
      <Form.Item name="eligibilitySkills" label={t('hackathons.eligibilitySkills')} extra={t('hackathons.eligibilitySkillsHelp')}>
        <Select mode="tags" tokenSeparators={[',']} open={false} />
      </Form.Item>
    </>
  );
}

/** Edits a resource in a modal (only the changed fields are sent); `onSaved` refreshes the tab. */
export function EditResourceModal({ resource, onClose, onSaved }: { resource: ResourceFormSource | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ResourceFormValues>();
  const [state, updateResource] = useMutation(UpdateResourceMutation);

  useEffect(() => {
    if (resource) form.setFieldsValue(toResourceFormValues(resource));
  }, [resource, form]);

  async function onSave(values: ResourceFormValues) {
    if (!resource) return;
    const input = toResourceUpdate(resource, values);
    if (!input) {
      void message.info(t('hackathons.nothingChanged'));
      return onClose();
    }
    const answer = await updateResource({ id: resource.id, input });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.resourceSaved', { name: answer.data!.updateResource.name }));
    onClose();
    onSaved();
  }

  return (
    <Modal
      open={resource !== null}
      title={resource ? t('hackathons.editResource', { name: resource.name }) : undefined}
      okText={t('hackathons.save')}
      cancelText={t('hackathons.cancel')}
      confirmLoading={state.fetching}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name="edit-resource" layout="vertical" onFinish={(values) => void onSave(values)}>
        <ResourceFormFields kind={resource?.kind} editing />
      </Form>
    </Modal>
  );
}

/** A request with the team that filed it (what the edit modal names). */
export type RequestToEdit = RequestFormSource & { teamName: string };

/** Edits a team's request on its behalf (rank, units, tags); `onSaved` refreshes the tab. */
export function EditRequestModal({ request, onClose, onSaved }: { request: RequestToEdit | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RequestFormValues>();
  const [state, updateRequest] = useMutation(UpdateResourceRequestMutation);

  useEffect(() => {
    if (request) form.setFieldsValue(toRequestFormValues(request));
  }, [request, form]);

  async function onSave(values: RequestFormValues) {
    if (!request) return;
    const input = toRequestUpdate(request, values);
    if (!input) {
      void message.info(t('hackathons.nothingChanged'));
      return onClose();
    }
    const answer = await updateRequest({ id: request.id, input });
    if (answer.error) return void message.error(t('hackathons.actionFailed', { message: apiMessage(answer.error) }));
    void message.success(t('hackathons.requestSaved', { team: request.teamName }));
    onClose();
    onSaved();
  }

  return (
    <Modal
      open={request !== null}
      title={request ? t('hackathons.editRequest', { team: request.teamName }) : undefined}
      okText={t('hackathons.save')}
      cancelText={t('hackathons.cancel')}
      confirmLoading={state.fetching}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} name="edit-request" layout="vertical" onFinish={(values) => void onSave(values)}>
        <Space size="large">
          <Form.Item name="rank" label={t('hackathons.columns.rank')} rules={[{ required: true, message: t('hackathons.rankRequired') }]}>
            <InputNumber min={1} precision={0} />
          </Form.Item>
          <Form.Item name="amount" label={t('hackathons.columns.amount')} rules={[{ required: true, message: t('hackathons.amountRequired') }]}>
            <InputNumber min={1} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item name="tags" label={t('hackathons.columns.tags')} extra={t('hackathons.requestTagsHelp')}>
          <Select mode="tags" tokenSeparators={[',']} open={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
