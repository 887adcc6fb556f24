import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { foundInRegion, regionPrefixOf, type Principal } from '@ecomlog/auth';
import { ProblemException, ValidationProblemException } from '@ecomlog/http';
import type { FieldProblem } from '@ecomlog/contracts';
import { LedgerService } from '../ledger/ledger.service';
import { accounts, transfer } from '../ledger/journal';
import { isCalendarDay, shanghaiDay } from '@ecomlog/kernel';
import { yuan } from '../shared/money';
import { isUniqueViolation } from '@ecomlog/persistence';
import { notFound, updateReturning } from '../shared/problems';
import { loadProgram, programFigures } from '../shared/program-rows';
import { FundsStateEvents, type StateChange } from '../shared/state-events';
import { loadContractViews, type AuditView, type ContractView } from './contract-views';
import type {
  CreateContractDto,
  ManualApprovalDto,
  RecordAuditDto,
  RectifyFindingDto,
} from './dto/contract.dto';
import { scheduleAmounts } from './tranche-schedule';

@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly events: FundsStateEvents,
  ) {}

  /**
   * Signs a contract: the schedule must add up exactly, the contractor be an active
   * service_contractor, and the amount fit in the program's unallocated remainder (checked under
   * the program's row lock). The commitment is posted to the journal in the same transaction.
   */
  async create(actor: Principal, dto: CreateContractDto): Promise<ContractView> {
    const problems: FieldProblem[] = [];
    const schedule = scheduleAmounts(dto.amountFen, dto.tranches);
    if (!schedule.ok) problems.push(...schedule.problems);
    dto.tranches.forEach((tranche, index) => {
      const { kind, siteKind, minimumOperating } = tranche.condition;
      if (kind === 'milestone' && (!siteKind || !minimumOperating)) {
        problems.push({
          path: `tranches[${index}].condition`,
          message:
            'a milestone names siteKind and minimumOperating (e.g. town_service_station, 20)',
        });
      }
      if (kind !== 'milestone' && (siteKind || minimumOperating)) {
        problems.push({
          path: `tranches[${index}].condition`,
          message: `siteKind and minimumOperating belong to milestone conditions, not ${kind}`,
        });
      }
    });
    (dto.tasks ?? []).forEach((task, index) => {
      if ((task.siteKind === undefined) !== (task.targetCount === undefined)) {
        problems.push({
          path: `tasks[${index}]`,
          message: 'a site target gives both siteKind and targetCount',
        });
      }
    });
    const today = shanghaiDay();
    if (dto.signedOn && (!isCalendarDay(dto.signedOn) || dto.signedOn > today)) {
      problems.push({ path: 'signedOn', message: `must be a real day not after today (${today})` });
    }
    if (problems.length > 0 || !schedule.ok) throw new ValidationProblemException(problems);
    const programId = dto.programId.toLowerCase();
    const contractorId = dto.contractorEnterpriseId.toLowerCase();
    const id = randomUUID();
    const title = dto.title.trim();
    try {
      return await this.dataSource.transaction(async (tx) => {
        const program = await loadProgram(tx, programId, actor, true);
        const [contractor] = await tx.query<{ name: string; kinds: string[]; status: string }[]>(
          'SELECT name, kinds, status FROM known_enterprise WHERE id = $1',
          [contractorId],
        );
        if (!contractor) {
          throw new ProblemException(
            422,
            'contractor-not-found',
            'Contractor not a registered enterprise',
            `Enterprise ${contractorId} is not in the registry (read model of registry.enterprises.v1); register it first.`,
          );
        }
        if (contractor.status !== 'active' || !contractor.kinds.includes('service_contractor')) {
          throw new ProblemException(
            422,
            'contractor-not-eligible',
            'Contractor not an active service contractor',
            `${contractor.name} is ${contractor.status} with kinds ${contractor.kinds.join(', ')}; a contract needs an active service_contractor (承办企业).`,
          );
        }
        const figures = (await programFigures(tx, [programId])).get(programId);
        const available = figures?.availableFen ?? 0;
        if (dto.amountFen > available) {
          throw new ProblemException(
            409,
            'contract-exceeds-program',
            'Contract exceeds what the program has left',
            `Program "${program.name}" has ${yuan(available)} left to commit (${yuan(figures?.allocatedFen ?? 0)} allocated, ${yuan(figures?.committedFen ?? 0)} committed to contracts, ${yuan(figures?.subsidiesPaidFen ?? 0)} paid as subsidies); the contract asks ${yuan(dto.amountFen)}.`,
            { requestedFen: dto.amountFen, availableFen: available },
          );
        }
        const signedOn = dto.signedOn ?? today;
        await tx.query(
          `INSERT INTO contract (id, program_id, contractor_enterprise_id, contractor_name, title, amount_fen, signed_on, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            id,
            programId,
            contractorId,
            contractor.name,
            title,
            dto.amountFen,
            signedOn,
            actor.subject,
          ],
        );
        const tasks = dto.tasks ?? [];
        if (tasks.length > 0) {
          await tx.query(
            `INSERT INTO contract_task (contract_id, sequence, description, site_kind, target_count)
             SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int[])`,
            [
              id,
              tasks.map((_, i) => i + 1),
              tasks.map((t) => t.description.trim()),
              tasks.map((t) => t.siteKind ?? null),
              tasks.map((t) => t.targetCount ?? null),
            ],
          );
        }
        const trancheIds = dto.tranches.map(() => randomUUID());
        const amounts = schedule.amounts;
        const labels = dto.tranches.map((t, i) => {
          if (t.label?.trim()) return t.label.trim();
          const share =
            amounts[i].percentBasisPoints === null
              ? yuan(amounts[i].amountFen)
              : `${amounts[i].percentBasisPoints / 100}%`;
          return `第${i + 1}笔 ${share} (${t.condition.kind})`;
        });
        await tx.query(
          `INSERT INTO tranche (id, contract_id, sequence, label, percent_basis_points, amount_fen,
             condition_kind, milestone_site_kind, milestone_minimum)
           SELECT id, $1, sequence, label, bp, amount, kind, site_kind, minimum
           FROM unnest($2::uuid[], $3::int[], $4::text[], $5::int[], $6::bigint[], $7::text[], $8::text[], $9::int[])
             AS t(id, sequence, label, bp, amount, kind, site_kind, minimum)`,
          [
            id,
            trancheIds,
            trancheIds.map((_, i) => i + 1),
            labels,
            amounts.map((a) => a.percentBasisPoints),
            amounts.map((a) => a.amountFen),
            dto.tranches.map((t) => t.condition.kind),
            dto.tranches.map((t) => t.condition.siteKind ?? null),
            dto.tranches.map((t) => t.condition.minimumOperating ?? null),
          ],
        );
        await this.ledger.post(tx, {
          kind: 'contract_commitment',
          programId,
          divisionCode: program.divisionCode,
          amountFen: dto.amountFen,
          contractId: id,
          payeeEnterpriseId: contractorId,
          lines: transfer(
            accounts.contractPayable(id),
            accounts.programAvailable(programId),
            dto.amountFen,
          ),
          memo: `合同承诺: ${title} (${contractor.name})`,
          postedBy: actor.subject,
        });
        const [view] = await loadContractViews(tx, [id], today);
        await this.events.record(
          tx,
          {
            entityType: 'contract',
            entityId: id,
            programId,
            divisionCode: program.divisionCode,
            status: 'signed',
            version: 1,
            summary: {
              title,
              contractorEnterpriseId: contractorId,
              amountFen: dto.amountFen,
              signedOn,
            },
            action: 'contract.signed',
            after: view,
          },
          ...view.tranches.map((t) => ({
            entityType: 'tranche' as const,
            entityId: t.id,
            programId,
            divisionCode: program.divisionCode,
            status: 'scheduled',
            version: 1,
            summary: {
              contractId: id,
              sequence: t.sequence,
              amountFen: t.amountFen,
              condition: t.condition.kind,
              conditionMet: t.conditionMet,
            },
            action: 'tranche.scheduled',
          })),
        );
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'contract_program_id_title_key')) {
        const [existing] = await this.dataSource.query<{ id: string }[]>(
          'SELECT id FROM contract WHERE program_id = $1 AND title = $2',
          [programId, title],
        );
        throw new ProblemException(
          409,
          'contract-exists',
          'Contract already signed',
          `The program already has a contract titled "${title}" (id ${existing?.id}).`,
          { existingId: existing?.id },
        );
      }
      throw error;
    }
  }

  async get(actor: Principal, id: string): Promise<ContractView> {
    const [view] = await loadContractViews(this.dataSource.manager, [id], shanghaiDay());
    return foundInRegion(actor, view, () => notFound('contract', id));
  }

  async list(actor: Principal, programId?: string): Promise<ContractView[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT c.id FROM contract c JOIN program p ON p.id = c.program_id
       WHERE p.division_code LIKE $1 || '%' AND ($2::uuid IS NULL OR c.program_id = $2)`,
      [regionPrefixOf(actor), programId ?? null],
    );
    return loadContractViews(
      this.dataSource.manager,
      rows.map((r) => r.id),
      shanghaiDay(),
    );
  }

  /** Locks the contract (and its program first, the order every writer follows). */
  async lockContract(
    tx: EntityManager,
    actor: Principal,
    contractId: string,
  ): Promise<{ programId: string; divisionCode: string }> {
    const [row] = await tx.query<{ program_id: string }[]>(
      'SELECT program_id FROM contract WHERE id = $1',
      [contractId],
    );
    if (!row) throw notFound('contract', contractId);
    const program = await loadProgram(tx, row.program_id, actor, true);
    await tx.query('SELECT id FROM contract WHERE id = $1 FOR UPDATE', [contractId]);
    return { programId: program.id, divisionCode: program.divisionCode };
  }

  /** Records that an official approved a manual_approval tranche's condition. */
  async approveCondition(
    actor: Principal,
    trancheId: string,
    dto: ManualApprovalDto,
  ): Promise<ContractView> {
    return this.dataSource.transaction(async (tx) => {
      const [tranche] = await tx.query<{ contract_id: string }[]>(
        'SELECT contract_id FROM tranche WHERE id = $1',
        [trancheId],
      );
      if (!tranche) throw notFound('tranche', trancheId);
      const { programId, divisionCode } = await this.lockContract(tx, actor, tranche.contract_id);
      const [row] = await tx.query<
        {
          condition_kind: string;
          manual_approved_by: string | null;
          status: string;
          version: number;
        }[]
      >(
        'SELECT condition_kind, manual_approved_by, status, version FROM tranche WHERE id = $1 FOR UPDATE',
        [trancheId],
      );
      if (row.condition_kind !== 'manual_approval') {
        throw new ProblemException(
          409,
          'not-a-manual-approval-tranche',
          'Tranche has another condition',
          `Tranche ${trancheId} is paid on ${row.condition_kind}, not on a manual approval.`,
        );
      }
      if (row.manual_approved_by) {
        throw new ProblemException(
          409,
          'condition-already-approved',
          'Already approved',
          `Tranche ${trancheId} was already approved by ${row.manual_approved_by}.`,
        );
      }
      await tx.query(
        `UPDATE tranche SET manual_approved_by = $2, manual_approved_at = now(), manual_approval_note = $3,
           version = version + 1 WHERE id = $1`,
        [trancheId, actor.subject, dto.note ?? null],
      );
      const [view] = await loadContractViews(tx, [tranche.contract_id], shanghaiDay());
      const approved = view.tranches.find((t) => t.id === trancheId);
      await this.events.record(tx, {
        entityType: 'tranche',
        entityId: trancheId,
        programId,
        divisionCode,
        status: row.status,
        version: row.version + 1,
        summary: {
          contractId: tranche.contract_id,
          conditionApprovedBy: actor.subject,
          note: dto.note ?? null,
          conditionMet: approved?.conditionMet ?? false,
          reasons: approved?.reasons ?? [],
        },
        action: 'tranche.condition-approved',
      });
      return view;
    });
  }

  /** 审计: only officials holding the auditor role record audits. */
  async recordAudit(actor: Principal, contractId: string, dto: RecordAuditDto): Promise<AuditView> {
    assertAuditor(actor);
    const findings = dto.findings ?? [];
    if (dto.outcome === 'findings' && findings.length === 0) {
      throw new ValidationProblemException([
        { path: 'findings', message: 'an audit with findings lists at least one finding' },
      ]);
    }
    if (dto.outcome === 'passed' && findings.length > 0) {
      throw new ValidationProblemException([
        {
          path: 'findings',
          message: 'a passed audit has no findings; record the outcome findings instead',
        },
      ]);
    }
    const today = shanghaiDay();
    if (dto.auditedOn && (!isCalendarDay(dto.auditedOn) || dto.auditedOn > today)) {
      throw new ValidationProblemException([
        { path: 'auditedOn', message: `must be a real day not after today (${today})` },
      ]);
    }
    return this.dataSource.transaction(async (tx) => {
      const { programId, divisionCode } = await this.lockContract(tx, actor, contractId);
      const [before] = await loadContractViews(tx, [contractId], today);
      const id = randomUUID();
      const status = dto.outcome === 'passed' ? 'passed' : 'findings_open';
      await tx.query(
        `INSERT INTO contract_audit (id, contract_id, audited_on, outcome, status, summary, auditor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          id,
          contractId,
          dto.auditedOn ?? today,
          dto.outcome,
          status,
          dto.summary ?? null,
          actor.subject,
        ],
      );
      if (findings.length > 0) {
        await tx.query(
          `INSERT INTO audit_finding (id, audit_id, sequence, description)
           SELECT id, $1, sequence, description FROM unnest($2::uuid[], $3::int[], $4::text[]) AS t(id, sequence, description)`,
          [
            id,
            findings.map(() => randomUUID()),
            findings.map((_, i) => i + 1),
            findings.map((f) => f.description.trim()),
          ],
        );
      }
      const [view] = await loadContractViews(tx, [contractId], today);
      const audit = view.audits.find((a) => a.id === id) as AuditView;
      await this.events.record(tx, {
        entityType: 'audit',
        entityId: id,
        programId,
        divisionCode,
        status,
        version: 1,
        summary: {
          contractId,
          auditedOn: audit.auditedOn,
          outcome: dto.outcome,
          openFindings: findings.length,
        },
        action: 'audit.recorded',
        after: audit,
      });
      await this.events.record(
        tx,
        ...(await conditionChanges(tx, before, view, 'audit.recorded', {
          programId,
          divisionCode,
        })),
      );
      return audit;
    });
  }

  /** An auditor marks a finding rectified; when none is left open the audit counts as passed. */
  async rectifyFinding(
    actor: Principal,
    auditId: string,
    findingId: string,
    dto: RectifyFindingDto,
  ): Promise<AuditView> {
    assertAuditor(actor);
    return this.dataSource.transaction(async (tx) => {
      const [audit] = await tx.query<{ contract_id: string }[]>(
        'SELECT contract_id FROM contract_audit WHERE id = $1',
        [auditId],
      );
      if (!audit) throw notFound('audit', auditId);
      const { programId, divisionCode } = await this.lockContract(tx, actor, audit.contract_id);
      const [before] = await loadContractViews(tx, [audit.contract_id], shanghaiDay());
      const [finding] = await tx.query<{ status: string }[]>(
        'SELECT status FROM audit_finding WHERE id = $1 AND audit_id = $2 FOR UPDATE',
        [findingId, auditId],
      );
      if (!finding) throw notFound('audit finding', findingId);
      if (finding.status === 'rectified') {
        throw new ProblemException(
          409,
          'finding-already-rectified',
          'Finding already rectified',
          `Finding ${findingId} was already marked rectified.`,
        );
      }
      await tx.query(
        `UPDATE audit_finding SET status = 'rectified', rectified_by = $2, rectified_at = now(), rectification_note = $3 WHERE id = $1`,
        [findingId, actor.subject, dto.note.trim()],
      );
      const [{ open }] = await tx.query<{ open: string }[]>(
        `SELECT count(*) AS open FROM audit_finding WHERE audit_id = $1 AND status = 'open'`,
        [auditId],
      );
      const status = Number(open) === 0 ? 'rectified' : 'findings_open';
      const [updated] = await updateReturning<{ version: number }>(
        tx,
        'UPDATE contract_audit SET status = $2, version = version + 1 WHERE id = $1 RETURNING version',
        [auditId, status],
      );
      const [view] = await loadContractViews(tx, [audit.contract_id], shanghaiDay());
      const after = view.audits.find((a) => a.id === auditId) as AuditView;
      await this.events.record(tx, {
        entityType: 'audit',
        entityId: auditId,
        programId,
        divisionCode,
        status,
        version: updated.version,
        summary: {
          contractId: audit.contract_id,
          rectifiedFindingId: findingId,
          openFindings: Number(open),
        },
        action: 'audit.finding-rectified',
        after,
      });
      await this.events.record(
        tx,
        ...(await conditionChanges(tx, before, view, 'audit.finding-rectified', {
          programId,
          divisionCode,
        })),
      );
      return after;
    });
  }
}

/**
 * Tranches whose condition an audit or a rectification turned from unmet to met (or back): each
 * gets a new version and a FundsStateChanged saying so, with the reasons. (Milestones follow the
 * sites read model and are decided whenever a contract is read or a payment requested.)
 */
async function conditionChanges(
  tx: EntityManager,
  before: ContractView,
  after: ContractView,
  cause: string,
  program: { programId: string; divisionCode: string },
): Promise<StateChange[]> {
  const changes: StateChange[] = [];
  for (const tranche of after.tranches) {
    const previous = before.tranches.find((t) => t.id === tranche.id);
    if (tranche.status === 'paid' || previous?.conditionMet === tranche.conditionMet) continue;
    const [{ version }] = await updateReturning<{ version: number }>(
      tx,
      'UPDATE tranche SET version = version + 1 WHERE id = $1 RETURNING version',
      [tranche.id],
    );
    changes.push({
      entityType: 'tranche',
      entityId: tranche.id,
      programId: program.programId,
      divisionCode: program.divisionCode,
      status: tranche.status,
      version,
      summary: {
        contractId: after.id,
        sequence: tranche.sequence,
        amountFen: tranche.amountFen,
        conditionMet: tranche.conditionMet,
        reasons: tranche.reasons,
        cause,
      },
      action: tranche.conditionMet ? 'tranche.condition-met' : 'tranche.condition-blocked',
    });
  }
  return changes;
}

/** "Only auditors audit": the auditor role itself, not merely admin. */
export function assertAuditor(actor: Principal): void {
  if (actor.kind !== 'official' || !actor.roles.includes('auditor')) {
    throw new ProblemException(
      403,
      'auditor-role-required',
      'Auditor role required',
      'Only officials holding the auditor role record audits and rectify findings.',
    );
  }
}
