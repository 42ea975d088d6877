import { Form, Input, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { ResourceKind } from '../../graphql/generated/graphql.js';
import { EditModal, type EditOutcome } from './edit-modal.js';
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
  const [state, updateResource] = useMutation(UpdateResourceMutation);

  async function save(row: ResourceFormSource, values: ResourceFormValues): Promise<EditOutcome> {
    const input = toResourceUpdate(row, values);
    if (!input) return { nothingChanged: true };
    const answer = await updateResource({ id: row.id, input });
    return answer.error ? { error: answer.error } : { saved: t('hackathons.resourceSaved', { name: answer.data!.updateResource.name }) };
  }

  return (
    <EditModal
      row={resource}
      formName="edit-resource"
      title={(row) => t('hackathons.editResource', { name: row.name })}
      toValues={toResourceFormValues}
      save={save}
      saving={state.fetching}
      onClose={onClose}
      onSaved={onSaved}
    >
      <ResourceFormFields kind={resource?.kind} editing />
    </EditModal>
  );
}

/** A request with the team that filed it (what the edit modal names). */
export type RequestToEdit = RequestFormSource & { teamName: string };

/** Edits a team's request on its behalf (rank, units, tags); `onSaved` refreshes the tab. */
export function EditRequestModal({ request, onClose, onSaved }: { request: RequestToEdit | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [state, updateRequest] = useMutation(UpdateResourceRequestMutation);

  async function save(row: RequestToEdit, values: RequestFormValues): Promise<EditOutcome> {
    const input = toRequestUpdate(row, values);
    if (!input) return { nothingChanged: true };
    const answer = await updateRequest({ id: row.id, input });
    return answer.error ? { error: answer.error } : { saved: t('hackathons.requestSaved', { team: row.teamName }) };
  }

  return (
    <EditModal
      row={request}
      formName="edit-request"
      title={(row) => t('hackathons.editRequest', { team: row.teamName })}
      toValues={toRequestFormValues}
      save={save}
      saving={state.fetching}
      onClose={onClose}
      onSaved={onSaved}
    >
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
    </EditModal>
  );
}
