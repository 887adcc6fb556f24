import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { regionPrefixOf, type Principal } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import { LedgerService } from '../ledger/ledger.service';
import { accounts, transfer } from '../ledger/journal';
import { shanghaiDay } from '@ecomlog/kernel';
import { fen, yuan } from '../shared/money';
import { isUniqueViolation } from '@ecomlog/persistence';
import { notFound, updateReturning } from '../shared/problems';
import { FundsStateEvents, type StateChange } from '../shared/state-events';
import { ContractsService } from './contracts.service';
import { loadContractViews, type ContractView, type TrancheView } from './contract-views';

export interface DisbursementRequestView {
  id: string;
  trancheId: string;
  contractId: string;
  programId: string;
  amountFen: number;
  requestedBy: string;
  status: 'pending_approval' | 'paid' | 'rejected';
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  journalEntryId: string | null;
  createdAt: string;
}

interface RequestRow {
  id: string;
  tranche_id: string;
  contract_id: string;
  program_id: string;
  amount_fen: string;
  requested_by: string;
  status: DisbursementRequestView['status'];
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  journal_entry_id: string | null;
  created_at: Date;
  division_code: string;
}

const REQUEST_SELECT = `SELECT r.*, t.contract_id, c.program_id, t.amount_fen, p.division_code
  FROM disbursement_request r JOIN tranche t ON t.id = r.tranche_id
  JOIN contract c ON c.id = t.contract_id JOIN program p ON p.id = c.program_id`;

function toView(row: RequestRow): DisbursementRequestView {
  return {
    id: row.id,
    trancheId: row.tranche_id,
    contractId: row.contract_id,
    programId: row.program_id,
    amountFen: fen(row.amount_fen),
    requestedBy: row.requested_by,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    journalEntryId: row.journal_entry_id,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * 四眼原则: one official requests a tranche's disbursement (with an Idempotency-Key), a second
 * official approves it, and the approval pays. Paying exactly once is the database's job: the
 * program and tranche rows are locked in a fixed order, one live request per tranche is a unique
 * index, and one disbursement entry per tranche is another.
 */
@Injectable()
export class DisbursementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contracts: ContractsService,
    private readonly ledger: LedgerService,
    private readonly events: FundsStateEvents,
  ) {}

  async request(
    actor: Principal,
    trancheId: string,
    idempotencyKey: string | undefined,
  ): Promise<{ created: boolean; request: DisbursementRequestView }> {
    if (!idempotencyKey) {
      throw new ProblemException(
        400,
        'idempotency-key-required',
        'Idempotency-Key required',
        'A disbursement request needs an Idempotency-Key header (8–128 letters, digits and . _ : -), so a retry never asks twice.',
      );
    }
    try {
      return await this.dataSource.transaction(async (tx) => {
        const { contract, tranche } = await this.lockTranche(tx, actor, trancheId);
        // Checked under the tranche lock, so a retry queued behind the first request sees it.
        const replay = await this.byKey(tx, actor.subject, idempotencyKey);
        if (replay) return { created: false, request: sameTranche(replay, trancheId) };
        if (tranche.status === 'paid') throw alreadyPaid(tranche);
        if (tranche.pendingRequestId) {
          throw new ProblemException(
            409,
            'disbursement-already-requested',
            'Disbursement already requested',
            `Tranche ${tranche.sequence} of "${contract.title}" already has request ${tranche.pendingRequestId} waiting for approval by a second official.`,
            { requestId: tranche.pendingRequestId },
          );
        }
        if (!tranche.conditionMet) throw conditionNotMet(contract, tranche);
        const id = randomUUID();
        await tx.query(
          `INSERT INTO disbursement_request (id, tranche_id, requested_by, idempotency_key, status)
           VALUES ($1, $2, $3, $4, 'pending_approval')`,
          [id, trancheId, actor.subject, idempotencyKey],
        );
        const [{ version }] = await updateReturning<{ version: number }>(
          tx,
          `UPDATE tranche SET status = 'requested', version = version + 1 WHERE id = $1 RETURNING version`,
          [trancheId],
        );
        await this.events.record(tx, {
          entityType: 'tranche',
          entityId: trancheId,
          programId: contract.programId,
          divisionCode: contract.divisionCode,
          status: 'requested',
          version,
          summary: {
            contractId: contract.id,
            sequence: tranche.sequence,
            amountFen: tranche.amountFen,
            requestId: id,
            requestedBy: actor.subject,
          },
          action: 'disbursement.requested',
        });
        return { created: true, request: (await this.find(tx, id)) as DisbursementRequestView };
      });
    } catch (error) {
      // Lost a race for the same key or the same tranche: answer as the winner's outcome.
      if (isUniqueViolation(error, 'disbursement_request_requested_by_idempotency_key_key')) {
        const replay = await this.byKey(this.dataSource.manager, actor.subject, idempotencyKey);
        if (replay) return { created: false, request: sameTranche(replay, trancheId) };
      }
      if (isUniqueViolation(error, 'disbursement_request_one_live_per_tranche')) {
        throw new ProblemException(
          409,
          'disbursement-already-requested',
          'Disbursement already requested',
          `Tranche ${trancheId} already has a live disbursement request.`,
        );
      }
      throw error;
    }
  }

  /**
   * The second official approves: the request's requester may not. Re-checks the condition (an
   * audit finding may have arrived since), then pays: the disbursement entry, the tranche and the
   * request change in one transaction.
   */
  async approve(
    actor: Principal,
    requestId: string,
    note?: string,
  ): Promise<{ request: DisbursementRequestView; contract: ContractView }> {
    return this.dataSource.transaction(async (tx) => {
      const pending = await this.find(tx, requestId);
      if (!pending) throw notFound('disbursement request', requestId);
      const { contract, tranche } = await this.lockTranche(tx, actor, pending.trancheId);
      const [locked] = await tx.query<{ status: string; requested_by: string }[]>(
        'SELECT status, requested_by FROM disbursement_request WHERE id = $1 FOR UPDATE',
        [requestId],
      );
      if (locked.status !== 'pending_approval') {
        throw new ProblemException(
          409,
          `disbursement-request-${locked.status.replace('_', '-')}`,
          'Request already decided',
          `Disbursement request ${requestId} is already ${locked.status}; nothing was paid again.`,
          { requestStatus: locked.status },
        );
      }
      if (locked.requested_by === actor.subject) {
        throw new ProblemException(
          403,
          'four-eyes-principle',
          'A second official must approve',
          `You requested this disbursement; another commerce official or an administrator must approve it (四眼原则).`,
        );
      }
      if (tranche.status === 'paid') throw alreadyPaid(tranche);
      if (!tranche.conditionMet) throw conditionNotMet(contract, tranche);
      const now = new Date();
      const entry = await this.ledger.post(
        tx,
        {
          kind: 'disbursement',
          programId: contract.programId,
          divisionCode: contract.divisionCode,
          amountFen: tranche.amountFen,
          contractId: contract.id,
          trancheId: tranche.id,
          payeeEnterpriseId: contract.contractorEnterpriseId,
          lines: transfer(
            accounts.contractPaid(contract.id),
            accounts.contractPayable(contract.id),
            tranche.amountFen,
          ),
          memo: `拨付: ${contract.title} ${tranche.label}`,
          postedBy: actor.subject,
        },
        now,
      );
      const [{ version }] = await updateReturning<{ version: number }>(
        tx,
        `UPDATE tranche SET status = 'paid', paid_at = $2, journal_entry_id = $3, version = version + 1
         WHERE id = $1 RETURNING version`,
        [tranche.id, now, entry.entryId],
      );
      await tx.query(
        `UPDATE disbursement_request SET status = 'paid', decided_by = $2, decided_at = $3, decision_note = $4,
           journal_entry_id = $5 WHERE id = $1`,
        [requestId, actor.subject, now, note ?? null, entry.entryId],
      );
      const changes: StateChange[] = [
        {
          entityType: 'tranche',
          entityId: tranche.id,
          programId: contract.programId,
          divisionCode: contract.divisionCode,
          status: 'paid',
          version,
          summary: {
            contractId: contract.id,
            sequence: tranche.sequence,
            amountFen: tranche.amountFen,
            requestId,
            requestedBy: locked.requested_by,
            approvedBy: actor.subject,
            journalEntryId: entry.entryId,
          },
          action: 'disbursement.approved-and-paid',
        },
      ];
      const unpaid = contract.tranches.filter((t) => t.id !== tranche.id && t.status !== 'paid');
      if (unpaid.length === 0) {
        const [{ version: contractVersion }] = await updateReturning<{ version: number }>(
          tx,
          `UPDATE contract SET status = 'completed', version = version + 1 WHERE id = $1 RETURNING version`,
          [contract.id],
        );
        changes.push({
          entityType: 'contract',
          entityId: contract.id,
          programId: contract.programId,
          divisionCode: contract.divisionCode,
          status: 'completed',
          version: contractVersion,
          summary: {
            title: contract.title,
            amountFen: contract.amountFen,
            paidFen: contract.amountFen,
          },
          action: 'contract.completed',
        });
      }
      await this.events.record(tx, ...changes);
      const [after] = await loadContractViews(tx, [contract.id], shanghaiDay(now));
      return {
        request: (await this.find(tx, requestId)) as DisbursementRequestView,
        contract: after,
      };
    });
  }

  /** Refuses a request (the tranche goes back to scheduled, and may be requested again). */
  async reject(
    actor: Principal,
    requestId: string,
    reason: string,
  ): Promise<DisbursementRequestView> {
    return this.dataSource.transaction(async (tx) => {
      const pending = await this.find(tx, requestId);
      if (!pending) throw notFound('disbursement request', requestId);
      const { contract, tranche } = await this.lockTranche(tx, actor, pending.trancheId);
      const [locked] = await tx.query<{ status: string }[]>(
        'SELECT status FROM disbursement_request WHERE id = $1 FOR UPDATE',
        [requestId],
      );
      if (locked.status !== 'pending_approval') {
        throw new ProblemException(
          409,
          'disbursement-request-decided',
          'Request already decided',
          `Disbursement request ${requestId} is already ${locked.status}.`,
        );
      }
      await tx.query(
        `UPDATE disbursement_request SET status = 'rejected', decided_by = $2, decided_at = now(), decision_note = $3 WHERE id = $1`,
        [requestId, actor.subject, reason],
      );
      const [{ version }] = await updateReturning<{ version: number }>(
        tx,
        `UPDATE tranche SET status = 'scheduled', version = version + 1 WHERE id = $1 RETURNING version`,
        [tranche.id],
      );
      await this.events.record(tx, {
        entityType: 'tranche',
        entityId: tranche.id,
        programId: contract.programId,
        divisionCode: contract.divisionCode,
        status: 'scheduled',
        version,
        summary: {
          contractId: contract.id,
          sequence: tranche.sequence,
          requestId,
          rejectedBy: actor.subject,
          reason,
        },
        action: 'disbursement.rejected',
      });
      return (await this.find(tx, requestId)) as DisbursementRequestView;
    });
  }

  async get(actor: Principal, id: string): Promise<DisbursementRequestView> {
    const rows = await this.dataSource.query<RequestRow[]>(
      `${REQUEST_SELECT} WHERE r.id = $1 AND p.division_code LIKE $2 || '%'`,
      [id, regionPrefixOf(actor)],
    );
    if (!rows[0]) throw notFound('disbursement request', id);
    return toView(rows[0]);
  }

  async list(
    actor: Principal,
    status?: string,
    trancheId?: string,
  ): Promise<DisbursementRequestView[]> {
    const rows = await this.dataSource.query<RequestRow[]>(
      `${REQUEST_SELECT} WHERE p.division_code LIKE $1 || '%' AND ($2::text IS NULL OR r.status = $2)
         AND ($3::uuid IS NULL OR r.tranche_id = $3) ORDER BY r.created_at DESC, r.id LIMIT 500`,
      [regionPrefixOf(actor), status ?? null, trancheId ?? null],
    );
    return rows.map(toView);
  }

  private async find(manager: EntityManager, id: string): Promise<DisbursementRequestView | null> {
    const rows = await manager.query<RequestRow[]>(`${REQUEST_SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  private async byKey(
    manager: EntityManager,
    subject: string,
    key: string,
  ): Promise<DisbursementRequestView | null> {
    const rows = await manager.query<RequestRow[]>(
      `${REQUEST_SELECT} WHERE r.requested_by = $1 AND r.idempotency_key = $2`,
      [subject, key],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Program, contract, then tranche row locks; then the tranche as decided now. */
  private async lockTranche(
    tx: EntityManager,
    actor: Principal,
    trancheId: string,
  ): Promise<{ contract: ContractView; tranche: TrancheView }> {
    const [row] = await tx.query<{ contract_id: string }[]>(
      'SELECT contract_id FROM tranche WHERE id = $1',
      [trancheId],
    );
    if (!row) throw notFound('tranche', trancheId);
    await this.contracts.lockContract(tx, actor, row.contract_id);
    await tx.query('SELECT id FROM tranche WHERE id = $1 FOR UPDATE', [trancheId]);
    const [contract] = await loadContractViews(tx, [row.contract_id], shanghaiDay());
    const tranche = contract.tranches.find((t) => t.id === trancheId) as TrancheView;
    return { contract, tranche };
  }
}

/** A key names one request: reusing it for another tranche is a client error, not a replay. */
function sameTranche(replay: DisbursementRequestView, trancheId: string): DisbursementRequestView {
  if (replay.trancheId !== trancheId) {
    throw new ProblemException(
      422,
      'idempotency-key-reused',
      'Idempotency-Key reused',
      `You already used this Idempotency-Key for request ${replay.id} of tranche ${replay.trancheId}; use a new key for a new request.`,
    );
  }
  return replay;
}

function alreadyPaid(tranche: TrancheView): ProblemException {
  return new ProblemException(
    409,
    'tranche-already-paid',
    'Tranche already paid',
    `Tranche ${tranche.sequence} (${yuan(tranche.amountFen)}) was already paid at ${tranche.paidAt ?? '?'}; it is paid exactly once.`,
    { paidAt: tranche.paidAt, journalEntryId: tranche.journalEntryId },
  );
}

function conditionNotMet(contract: ContractView, tranche: TrancheView): ProblemException {
  return new ProblemException(
    409,
    'tranche-condition-not-met',
    'Tranche condition not met',
    `Tranche ${tranche.sequence} of "${contract.title}" (${yuan(tranche.amountFen)}, ${tranche.condition.kind}) cannot be paid yet: ${tranche.reasons.join('; ')}.`,
    { condition: tranche.condition, reasons: tranche.reasons },
  );
}
