import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FundsStateChanged, type FundsEntityType } from '@ecomlog/contracts';
import { OutboxWriter } from '@ecomlog/messaging';
import { AuditTrail } from '@ecomlog/platform';
import { shanghaiTimestamp } from '@ecomlog/kernel';

export interface StateChange {
  entityType: FundsEntityType;
  entityId: string;
  programId: string | null;
  divisionCode: string | null;
  status: string;
  version: number;
  summary: Record<string, unknown>;
  /** Audit log action, e.g. `tranche.paid`. */
  action: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Every change of a funds entity ends here, inside its transaction: one FundsStateChanged in the
 * outbox and one audit entry (who, when, what, before, after).
 */
@Injectable()
export class FundsStateEvents {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditTrail,
  ) {}

  async record(tx: EntityManager, ...changes: StateChange[]): Promise<void> {
    if (changes.length === 0) return;
    const now = new Date();
    await this.outbox.append(
      tx,
      FundsStateChanged,
      changes.map((change) => ({
        entityType: change.entityType,
        entityId: change.entityId,
        programId: change.programId,
        divisionCode: change.divisionCode,
        status: change.status,
        version: change.version,
        changedAt: shanghaiTimestamp(now),
        summary: change.summary,
      })),
      { time: now },
    );
    await this.audit.record(
      tx,
      ...changes.map((change) => ({
        action: change.action,
        entityType: change.entityType,
        entityId: change.entityId,
        before: change.before ?? null,
        after: change.after ?? {
          status: change.status,
          version: change.version,
          ...change.summary,
        },
      })),
    );
  }
}
