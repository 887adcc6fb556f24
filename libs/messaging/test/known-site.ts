import { defineSnapshotTable } from '../src/read-model/snapshot-table';

/** The made-up snapshot the read-model specs write: a site with one column of each kind. */
export interface KnownSite {
  id: string;
  carriers: string[];
  history: { effectiveFrom: string }[];
  openedOn: string | null;
  changedAt: string;
  version: number;
}

export const KNOWN_SITE = defineSnapshotTable<KnownSite>({
  table: 'known_site',
  key: ['id'],
  columns: {
    id: { type: 'uuid', from: (s) => s.id },
    carriers: { type: 'text[]', from: (s) => s.carriers },
    status_history: { type: 'jsonb', from: (s) => s.history },
    opened_on: { type: 'date', from: (s) => s.openedOn },
    changed_at: { type: 'timestamptz', from: (s) => s.changedAt },
    version: { type: 'int', from: (s) => s.version },
  },
  touchedOnUpdate: ['updated_at'],
});

export const A = 'a0000000-0000-4000-8000-000000000001';
export const B = 'b0000000-0000-4000-8000-000000000002';

/** Site `id` at `version`: its dates follow the version, so two versions differ in every column. */
export function knownSite(id: string, version: number, extra: Partial<KnownSite> = {}): KnownSite {
  return {
    id,
    carriers: ['ZTO'],
    history: [{ effectiveFrom: `2024-08-0${version}` }],
    openedOn: `2024-07-0${version}`,
    changedAt: `2024-08-0${version}T10:00:00+08:00`,
    version,
    ...extra,
  };
}
