import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

/**
 * known_enterprise from registry.enterprises.v1 (latest version wins): what contracts (active
 * service_contractor) and subsidy eligibility rules (jurisdiction, local tax, legal entity, kinds,
 * dated status and blacklist periods) are checked against.
 */
@Injectable()
@RunsAsEventConsumer()
export class FundsEnterpriseReadModelConsumer implements EventConsumer<EnterpriseChangedV1> {
  readonly groupId = 'funds.enterprise-read-model';
  readonly events = [EnterpriseChanged];

  async handle(events: ConsumedEvent<EnterpriseChangedV1>[], tx: EntityManager): Promise<void> {
    // Latest version per enterprise: ON CONFLICT cannot touch one row twice in a statement.
    const latest = new Map<string, EnterpriseChangedV1>();
    for (const { payload } of events) {
      const current = latest.get(payload.id);
      if (!current || payload.version > current.version) latest.set(payload.id, payload);
    }
    const rows = [...latest.values()];
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO known_enterprise AS e (id, name, kinds, registered_division_code, registered_on,
         status, status_history, tax_registered_locally, independent_legal_entity, credit_status,
         blacklist_periods, version)
       SELECT id, name, string_to_array(kinds, ','), division, registered_on::date, status, history,
              tax_local, legal_entity, credit, blacklist, version
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::char(12)[], $5::text[], $6::text[],
                   $7::jsonb[], $8::boolean[], $9::boolean[], $10::text[], $11::jsonb[], $12::int[])
         AS t(id, name, kinds, division, registered_on, status, history, tax_local, legal_entity,
              credit, blacklist, version)
       ON CONFLICT (id) DO UPDATE SET
         name = EXCLUDED.name, kinds = EXCLUDED.kinds,
         registered_division_code = EXCLUDED.registered_division_code,
         registered_on = EXCLUDED.registered_on, status = EXCLUDED.status,
         status_history = EXCLUDED.status_history,
         tax_registered_locally = EXCLUDED.tax_registered_locally,
         independent_legal_entity = EXCLUDED.independent_legal_entity,
         credit_status = EXCLUDED.credit_status, blacklist_periods = EXCLUDED.blacklist_periods,
         version = EXCLUDED.version
       WHERE EXCLUDED.version > e.version`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.name),
        rows.map((r) => r.kinds.join(',')),
        rows.map((r) => r.registeredDivisionCode),
        rows.map((r) => r.registeredOn),
        rows.map((r) => r.status),
        rows.map((r) => JSON.stringify(r.statusHistory)),
        rows.map((r) => r.taxRegisteredLocally),
        rows.map((r) => r.independentLegalEntity),
        rows.map((r) => r.creditStatus),
        rows.map((r) => JSON.stringify(r.blacklistPeriods)),
        rows.map((r) => r.version),
      ],
    );
  }
}
