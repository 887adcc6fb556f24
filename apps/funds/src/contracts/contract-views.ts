import type { EntityManager } from 'typeorm';
import { fen } from '../shared/money';
import { prefixOfCode } from '@ecomlog/kernel';
import { evaluateCondition, type OpenFinding } from './tranche-conditions';
import type { TrancheConditionKind } from './tranche-schedule';

export interface TrancheView {
  id: string;
  contractId: string;
  sequence: number;
  label: string;
  amountFen: number;
  /** The percentage it was given as, if any. */
  percent: number | null;
  condition: {
    kind: TrancheConditionKind;
    siteKind: string | null;
    minimumOperating: number | null;
  };
  /** scheduled, requested (waiting for the second official) or paid. */
  status: 'scheduled' | 'requested' | 'paid';
  /** Whether its condition is met today, and why (or why not). */
  conditionMet: boolean;
  reasons: string[];
  /** Scheduled and condition met: a disbursement may be requested now. */
  payable: boolean;
  pendingRequestId: string | null;
  paidAt: string | null;
  journalEntryId: string | null;
  version: number;
}

export interface FindingView {
  id: string;
  sequence: number;
  description: string;
  status: 'open' | 'rectified';
  rectifiedBy: string | null;
  rectifiedAt: string | null;
  rectificationNote: string | null;
}

export interface AuditView {
  id: string;
  contractId: string;
  auditedOn: string;
  outcome: 'passed' | 'findings';
  status: 'passed' | 'findings_open' | 'rectified';
  summary: string | null;
  auditor: string;
  version: number;
  findings: FindingView[];
}

export interface ContractView {
  id: string;
  programId: string;
  programName: string;
  divisionCode: string;
  contractorEnterpriseId: string;
  contractorName: string;
  title: string;
  amountFen: number;
  paidFen: number;
  signedOn: string;
  status: 'signed' | 'completed';
  version: number;
  tasks: {
    sequence: number;
    description: string;
    siteKind: string | null;
    targetCount: number | null;
  }[];
  tranches: TrancheView[];
  audits: AuditView[];
  asOf: string;
}

interface ContractRow {
  id: string;
  program_id: string;
  program_name: string;
  division_code: string;
  contractor_enterprise_id: string;
  contractor_name: string;
  title: string;
  amount_fen: string;
  signed_on: string;
  status: 'signed' | 'completed';
  version: number;
}

interface TrancheRow {
  id: string;
  contract_id: string;
  sequence: number;
  label: string;
  percent_basis_points: number | null;
  amount_fen: string;
  condition_kind: TrancheConditionKind;
  milestone_site_kind: string | null;
  milestone_minimum: number | null;
  manual_approved_by: string | null;
  manual_approved_at: Date | null;
  status: 'scheduled' | 'requested' | 'paid';
  paid_at: Date | null;
  journal_entry_id: string | null;
  version: number;
}

/**
 * Contracts with their tasks, audits and tranches, every tranche's condition decided as of `today`
 * from the audits and the sites read model. Read with the caller's manager, so inside a
 * transaction it sees that transaction's locks and writes.
 */
export async function loadContractViews(
  manager: EntityManager,
  contractIds: string[],
  today: string,
): Promise<ContractView[]> {
  if (contractIds.length === 0) return [];
  const contracts = await manager.query<ContractRow[]>(
    `SELECT c.id, c.program_id, p.name AS program_name, p.division_code, c.contractor_enterprise_id,
            c.contractor_name, c.title, c.amount_fen, c.signed_on::text AS signed_on, c.status, c.version
     FROM contract c JOIN program p ON p.id = c.program_id
     WHERE c.id = ANY($1::uuid[]) ORDER BY p.name, c.created_at, c.id`,
    [contractIds],
  );
  const tasks = await manager.query<
    {
      contract_id: string;
      sequence: number;
      description: string;
      site_kind: string | null;
      target_count: number | null;
    }[]
  >(
    'SELECT * FROM contract_task WHERE contract_id = ANY($1::uuid[]) ORDER BY contract_id, sequence',
    [contractIds],
  );
  const tranches = await manager.query<TrancheRow[]>(
    'SELECT * FROM tranche WHERE contract_id = ANY($1::uuid[]) ORDER BY contract_id, sequence',
    [contractIds],
  );
  const audits = await manager.query<
    {
      id: string;
      contract_id: string;
      audited_on: string;
      outcome: 'passed' | 'findings';
      status: AuditView['status'];
      summary: string | null;
      auditor: string;
      version: number;
    }[]
  >(
    `SELECT id, contract_id, audited_on::text AS audited_on, outcome, status, summary, auditor, version
     FROM contract_audit WHERE contract_id = ANY($1::uuid[]) ORDER BY audited_on, created_at, id`,
    [contractIds],
  );
  const findings = audits.length
    ? await manager.query<
        {
          id: string;
          audit_id: string;
          sequence: number;
          description: string;
          status: 'open' | 'rectified';
          rectified_by: string | null;
          rectified_at: Date | null;
          rectification_note: string | null;
        }[]
      >(
        'SELECT * FROM audit_finding WHERE audit_id = ANY($1::uuid[]) ORDER BY audit_id, sequence',
        [audits.map((a) => a.id)],
      )
    : [];
  const pending = tranches.length
    ? await manager.query<{ id: string; tranche_id: string }[]>(
        `SELECT id, tranche_id FROM disbursement_request
         WHERE tranche_id = ANY($1::uuid[]) AND status = 'pending_approval'`,
        [tranches.map((t) => t.id)],
      )
    : [];
  const pendingByTranche = new Map(pending.map((p) => [p.tranche_id, p.id]));

  const views: ContractView[] = [];
  for (const c of contracts) {
    const region = prefixOfCode(c.division_code);
    const auditViews: AuditView[] = audits
      .filter((a) => a.contract_id === c.id)
      .map((a) => ({
        id: a.id,
        contractId: c.id,
        auditedOn: a.audited_on,
        outcome: a.outcome,
        status: a.status,
        summary: a.summary,
        auditor: a.auditor,
        version: a.version,
        findings: findings
          .filter((f) => f.audit_id === a.id)
          .map((f) => ({
            id: f.id,
            sequence: f.sequence,
            description: f.description,
            status: f.status,
            rectifiedBy: f.rectified_by,
            rectifiedAt: f.rectified_at?.toISOString() ?? null,
            rectificationNote: f.rectification_note,
          })),
      }));
    const passedAudits = auditViews.filter((a) => a.status !== 'findings_open').length;
    const openFindings: OpenFinding[] = auditViews.flatMap((a) =>
      a.findings
        .filter((f) => f.status === 'open')
        .map((f) => ({ auditId: a.id, auditedOn: a.auditedOn, description: f.description })),
    );
    let auditOrdinal = 0;
    const trancheViews: TrancheView[] = [];
    for (const t of tranches.filter((row) => row.contract_id === c.id)) {
      if (t.condition_kind === 'audit_passed') auditOrdinal += 1;
      let milestone = null;
      if (t.condition_kind === 'milestone' && t.milestone_site_kind && t.milestone_minimum) {
        milestone = {
          siteKind: t.milestone_site_kind,
          minimum: t.milestone_minimum,
          operating: await operatingSites(
            manager,
            c.contractor_enterprise_id,
            t.milestone_site_kind,
            region,
            today,
          ),
          regionPrefix: region,
        };
      }
      const verdict =
        t.status === 'paid'
          ? { met: true, reasons: [`paid at ${t.paid_at?.toISOString() ?? '?'}`] }
          : evaluateCondition(t.condition_kind, {
              today,
              signedOn: c.signed_on,
              passedAudits,
              auditOrdinal,
              openFindings,
              milestone,
              manualApproval: t.manual_approved_by
                ? { by: t.manual_approved_by, at: t.manual_approved_at?.toISOString() ?? '?' }
                : null,
            });
      trancheViews.push({
        id: t.id,
        contractId: c.id,
        sequence: t.sequence,
        label: t.label,
        amountFen: fen(t.amount_fen),
        percent: t.percent_basis_points === null ? null : t.percent_basis_points / 100,
        condition: {
          kind: t.condition_kind,
          siteKind: t.milestone_site_kind,
          minimumOperating: t.milestone_minimum,
        },
        status: t.status,
        conditionMet: verdict.met,
        reasons: verdict.reasons,
        payable: t.status === 'scheduled' && verdict.met,
        pendingRequestId: pendingByTranche.get(t.id) ?? null,
        paidAt: t.paid_at?.toISOString() ?? null,
        journalEntryId: t.journal_entry_id,
        version: t.version,
      });
    }
    views.push({
      id: c.id,
      programId: c.program_id,
      programName: c.program_name,
      divisionCode: c.division_code,
      contractorEnterpriseId: c.contractor_enterprise_id,
      contractorName: c.contractor_name,
      title: c.title,
      amountFen: fen(c.amount_fen),
      paidFen: trancheViews
        .filter((t) => t.status === 'paid')
        .reduce((sum, t) => sum + t.amountFen, 0),
      signedOn: c.signed_on,
      status: c.status,
      version: c.version,
      tasks: tasks
        .filter((task) => task.contract_id === c.id)
        .map((task) => ({
          sequence: task.sequence,
          description: task.description,
          siteKind: task.site_kind,
          targetCount: task.target_count,
        })),
      tranches: trancheViews,
      audits: auditViews,
      asOf: today,
    });
  }
  return views;
}

/** Sites of a kind operated by an enterprise inside a region whose status on `day` is operating. */
export async function operatingSites(
  manager: EntityManager,
  operatorEnterpriseId: string,
  siteKind: string,
  regionPrefix: string,
  day: string,
): Promise<number> {
  const [row] = await manager.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM known_site s
     WHERE s.operator_enterprise_id = $1 AND s.kind = $2 AND s.division_code LIKE $3 || '%'
       AND (SELECT e->>'status' FROM jsonb_array_elements(s.status_history) e
            WHERE e->>'effectiveFrom' <= $4 ORDER BY e->>'effectiveFrom' DESC LIMIT 1) = 'operating'`,
    [operatorEnterpriseId, siteKind, regionPrefix, day],
  );
  return Number(row?.n ?? 0);
}
