import { Select } from 'antd';

/** An ecosystem the picker offers. */
export interface EcosystemChoice {
  slug: string;
  name: string;
}

/**
 * The select that picks the ecosystem a page shows, each shown as `<name> (<slug>)`; nothing while
 * there is no ecosystem to pick. `label` is its accessible name (the page's own i18n key); pair it
 * with `useEcosystemParam` (hooks/use-ecosystem-param.ts) to keep the choice in the URL.
 */
export function EcosystemPicker({
  label,
  ecosystems,
  value,
  onChange,
}: {
  label: string;
  ecosystems: readonly EcosystemChoice[];
  value: string | undefined;
  onChange: (slug: string) => void;
}) {
  if (ecosystems.length === 0) return null;
  return (
    <Select
      aria-label={label}
      value={value}
      style={{ minWidth: 220 }}
      options={ecosystems.map((item) => ({ value: item.slug, label: `${item.name} (${item.slug})` }))}
      onChange={onChange}
    />
  );
}
