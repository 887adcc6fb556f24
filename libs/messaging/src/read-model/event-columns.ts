import type { DivisionChangedV1, EnterpriseChangedV1, SiteChangedV1 } from '@ecomlog/contracts';
import { fieldColumns } from './snapshot-columns';

// How the shared topics' fields are stored where another service keeps a snapshot of them (its
// known_enterprise, known_site, known_division): one column per field, named in snake_case and of
// the type given here. A read model picks the columns its table has (`pickColumns`), with another
// type where its table differs, and writes out any column computed from the payload itself.

/** registry.enterprises.v1 fields as snapshot columns. */
export const ENTERPRISE_COLUMNS = fieldColumns<EnterpriseChangedV1>()({
  id: 'uuid',
  credit_code: 'char(18)',
  name: 'text',
  kinds: 'text[]',
  carrier_code: 'text',
  registered_division_code: 'char(12)',
  registered_on: 'date',
  status: 'text',
  status_history: 'jsonb',
  tax_registered_locally: 'boolean',
  independent_legal_entity: 'boolean',
  credit_status: 'text',
  blacklist_periods: 'jsonb',
  version: 'int',
});

/** sites.sites.v1 fields as snapshot columns. */
export const SITE_COLUMNS = fieldColumns<SiteChangedV1>()({
  id: 'uuid',
  name: 'text',
  kind: 'text',
  division_code: 'char(12)',
  operator_enterprise_id: 'uuid',
  carriers: 'text[]',
  status_history: 'jsonb',
  version: 'int',
  changed_at: 'timestamptz',
});

/** registry.divisions.v1 fields as snapshot columns. */
export const DIVISION_COLUMNS = fieldColumns<DivisionChangedV1>()({
  code: 'char(12)',
  name: 'text',
  level: 'text',
  parent_code: 'char(12)',
  administrative_village: 'boolean',
  status: 'text',
  replaced_by: 'char(12)',
  version: 'int',
});
