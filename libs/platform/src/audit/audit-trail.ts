import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '@ecomlog/auth';
import { currentActor, currentCorrelationId } from '@ecomlog/observability';

export interface AuditRecord {
  /** Defaults to the authenticated caller of the current request. */
  actor?: Pick<Principal, 'subject' | 'kind'>;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Writes audit entries inside the transaction of the change they describe. */
@Injectable()
export class AuditTrail {
  async record(tx: EntityManager, ...records: AuditRecord[]): Promise<void> {
    const actor = currentActor();
    // Only people's and clients' changes are audited; a change with no actor (a CLI or a
    // consumer applying another service's event) is not an official's act.
    const attributed = records.flatMap((r) => {
      const who = r.actor ?? actor;
      return who ? [{ ...r, actor: who }] : [];
    });
    if (attributed.length === 0) return;
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('AuditTrail.record must run inside the transaction of the change');
    }
    await tx.query(
      `INSERT INTO audit_entry (actor_subject, actor_kind, action, entity_type, entity_id, before, after, correlation_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[])`,
      [
        attributed.map((r) => r.actor.subject),
        attributed.map((r) => r.actor.kind),
        attributed.map((r) => r.action),
        attributed.map((r) => r.entityType),
        attributed.map((r) => r.entityId),
        attributed.map((r) => (r.before === undefined ? null : JSON.stringify(r.before))),
        attributed.map((r) => (r.after === undefined ? null : JSON.stringify(r.after))),
        attributed.map(() => currentCorrelationId() ?? null),
      ],
    );
  }
}
