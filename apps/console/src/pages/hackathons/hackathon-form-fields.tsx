import { DatePicker, Form, Input, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';

/** Slugs the api accepts (HACKATHON_SLUG in libs/hackathons/src/events/hackathon-input.ts). */
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The fields of the create and edit forms (the same rules the api checks, so most mistakes show before sending). */
export function HackathonFormFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('hackathons.form.name')} rules={[{ required: true, whitespace: true, message: t('hackathons.form.nameRequired') }, { max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item
        name="slug"
        label={t('hackathons.form.slug')}
        extra={t('hackathons.form.slugHelp')}
        rules={[{ required: true, message: t('hackathons.form.slugRequired') }, { pattern: SLUG, message: t('hackathons.form.slugFormat') }]}
      >
        <Input />
      </Form.Item>
      <Form.Item name="description" label={t('hackathons.form.description')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="window" label={t('hackathons.form.window')} extra={t('hackathons.form.utcHelp')} rules={[{ required: true, message: t('hackathons.form.windowRequired') }]}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="registrationWindow" label={t('hackathons.form.registrationWindow')} extra={t('hackathons.form.registrationWindowHelp')}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} style={{ width: '100%' }} />
      </Form.Item>
      <Space size="large">
        <Form.Item name="minTeamSize" label={t('hackathons.form.minTeamSize')}>
          <InputNumber min={1} max={100} precision={0} />
        </Form.Item>
        <Form.Item
          name="maxTeamSize"
          label={t('hackathons.form.maxTeamSize')}
          dependencies={['minTeamSize']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: number | null) =>
                value == null || getFieldValue('minTeamSize') == null || value >= getFieldValue('minTeamSize') ? Promise.resolve() : Promise.reject(new Error(t('hackathons.form.teamSizeOrder'))),
            }),
          ]}
        >
          <InputNumber min={1} max={100} precision={0} />
        </Form.Item>
      </Space>
      <Form.Item name="trackedTopic" label={t('hackathons.form.trackedTopic')} extra={t('hackathons.form.trackedTopicHelp')}>
        <Input />
      </Form.Item>
      <Form.Item name="optInLabel" label={t('hackathons.form.optInLabel')} extra={t('hackathons.form.optInLabelHelp')}>
        <Input />
      </Form.Item>
    </>
  );
}
