import { Select } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { OrganizationOptionsQuery } from './organization-select.operations.js';

/**
 * A select of organisations searched on the api as the user types (name or domain; the first 20),
 * each shown with `customerLabel` when it is a customer; the value is the organisation's id. Used
 * by the filters of the Funnel and Members pages. `label` is its accessible name.
 */
export function OrganizationSelect({
  label,
  placeholder,
  notFound,
  customerLabel,
  value,
  onChange,
}: {
  label: string;
  placeholder: string;
  notFound: string;
  customerLabel: string;
  value?: string;
  onChange?: (id?: string) => void;
}) {
  const [search, setSearch] = useState('');
  const [options] = useQuery({ query: OrganizationOptionsQuery, variables: { search: search || null } });
  const organizations = options.data?.organizations.edges.map((edge) => edge.node) ?? [];
  return (
    <Select
      aria-label={label}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      placeholder={placeholder}
      style={{ width: 240 }}
      loading={options.fetching}
      value={value}
      notFoundContent={options.error ? options.error.message : notFound}
      options={organizations.map((org) => ({ value: org.id, label: org.isCustomer ? `${org.name} · ${customerLabel}` : org.name }))}
      onChange={(id?: string) => onChange?.(id)}
    />
  );
}
