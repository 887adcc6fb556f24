import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EnterpriseChanged, type EnterpriseChangedV1 } from '@ecomlog/contracts';
import type { ConsumedEvent, EventConsumer } from '@ecomlog/messaging';
import { RunsAsEventConsumer } from '@ecomlog/platform';

/** Keeps known_enterprise in step with registry.enterprises.v1, one statement per chunk. */
@Injectable()
@RunsAsEventConsumer()
export class EnterpriseReadModelConsumer implements EventConsumer<EnterpriseChangedV1> {
  readonly groupId = 'sites.enterprise-read-model';
  readonly events = [EnterpriseChanged];

  async handle(events: ConsumedEvent<EnterpriseChangedV1>[], tx: EntityManager): Promise<void> {
    // Latest version per enterprise: ON CONFLICT cannot touch one row twice in a statement.
    const latest = new Map<string, EnterpriseChangedV1>();
    for (const { payload } of events) {
      const current = latest.get(payload.id);
      if (!current || payload.version > current.version) latest.set(payload.id, payload);
    }
    const rows = [...latest.values()];
    await tx.query(
      `INSERT INTO known_enterprise AS e (id, credit_code, name, kinds, carrier_code, registered_division_code, status, version, state)
       SELECT id, credit_code, name, string_to_array(kinds, ','), carrier_code, registered_division_code, status, version, state
       FROM unnest($1::uuid[], $2::char(18)[], $3::text[], $4::text[], $5::text[], $6::char(12)[], $7::text[], $8::int[], $9::jsonb[])
         AS t(id, credit_code, name, kinds, carrier_code, registered_division_code, status, version, state)
       ON CONFLICT (id) DO UPDATE SET
         credit_code = EXCLUDED.credit_code, name = EXCLUDED.name, kinds = EXCLUDED.kinds,
         carrier_code = EXCLUDED.carrier_code, registered_division_code = EXCLUDED.registered_division_code,
         status = EXCLUDED.status, version = EXCLUDED.version, state = EXCLUDED.state
       WHERE EXCLUDED.version > e.version`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.creditCode),
        rows.map((r) => r.name),
        rows.map((r) => r.kinds.join(',')),
        rows.map((r) => r.carrierCode),
        rows.map((r) => r.registeredDivisionCode),
        rows.map((r) => r.status),
        rows.map((r) => r.version),
        rows.map((r) => JSON.stringify(r)),
      ],
    );
  }
}
