import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { foundInRegion, regionPrefixOf, type Principal } from '@ecomlog/auth';
import { ProblemException, ValidationProblemException } from '@ecomlog/http';
import { LedgerService } from '../ledger/ledger.service';
import { accounts, transfer } from '../ledger/journal';
import { isCalendarDay, isWithin, shanghaiDay } from '@ecomlog/kernel';
import { fen, yuan } from '../shared/money';
import { isUniqueViolation } from '@ecomlog/persistence';
import { notFound } from '../shared/problems';
import { loadProgram, programFigures } from '../shared/program-rows';
import { FundsStateEvents } from '../shared/state-events';
import type { CreateSubsidyApplicationDto, CreateSubsidyPolicyDto } from './dto/subsidy.dto';
import {
  evaluateEligibility,
  salesPeriodFor,
  type EnterpriseFacts,
  type RuleResult,
  type SalesFigure,
  type SubsidyRules,
} from './eligibility';

export interface SubsidyPolicyView {
  id: string;
  programId: string;
  divisionCode: string;
  name: string;
  maxAmountFen: number;
  rules: SubsidyRules;
  status: string;
  version: number;
}

export type ApplicationStatus = 'eligible' | 'ineligible' | 'approved' | 'rejected' | 'paid';

export interface SubsidyApplicationView {
  id: string;
  policyId: string;
  programId: string;
  divisionCode: string;
  enterpriseId: string;
  enterpriseName: string | null;
  amountFen: number;
  applicationDate: string;
  ruleResults: RuleResult[];
  status: ApplicationStatus;
  filedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  paidAt: string | null;
  journalEntryId: string | null;
  version: number;
}

interface ApplicationRow {
  id: string;
  policy_id: string;
  program_id: string;
  division_code: string;
  enterprise_id: string;
  enterprise_name: string | null;
  amount_fen: string;
  application_date: string;
  rule_results: RuleResult[];
  status: ApplicationStatus;
  filed_by: string;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  paid_at: Date | null;
  journal_entry_id: string | null;
  version: number;
}

const APPLICATION_SELECT = `SELECT a.id, a.policy_id, a.program_id, p.division_code, a.enterprise_id, a.enterprise_name,
  a.amount_fen, a.application_date::text AS application_date, a.rule_results, a.status, a.filed_by,
  a.decided_by, a.decided_at, a.decision_reason, a.paid_at, a.journal_entry_id, a.version
  FROM subsidy_application a JOIN program p ON p.id = a.program_id`;

function toApplicationView(row: ApplicationRow): SubsidyApplicationView {
  return {
    id: row.id,
    policyId: row.policy_id,
    programId: row.program_id,
    divisionCode: row.division_code,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    amountFen: fen(row.amount_fen),
    applicationDate: row.application_date,
    ruleResults: row.rule_results,
    status: row.status,
    filedBy: row.filed_by,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
    paidAt: row.paid_at?.toISOString() ?? null,
    journalEntryId: row.journal_entry_id,
    version: row.version,
  };
}

/**
 * 奖补: policies with eligibility rules, applications evaluated against the registry and
 * analytics read models (every rule's result recorded), decided by an official other than the one
 * who filed them, and paid through the same ledger.
 */
@Injectable()
export class SubsidiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly events: FundsStateEvents,
  ) {}

  async createPolicy(actor: Principal, dto: CreateSubsidyPolicyDto): Promise<SubsidyPolicyView> {
    const programId = dto.programId.toLowerCase();
    const id = randomUUID();
    try {
      return await this.dataSource.transaction(async (tx) => {
        const program = await loadProgram(tx, programId, actor, true);
        const jurisdiction = dto.jurisdictionDivisionCode ?? program.divisionCode;
        if (!isWithin(jurisdiction, program.divisionCode)) {
          throw new ValidationProblemException([
            {
              path: 'jurisdictionDivisionCode',
              message: `must lie inside the program region ${program.divisionCode}`,
            },
          ]);
        }
        const rules: SubsidyRules = {
          jurisdictionDivisionCode: jurisdiction,
          requireTaxedLocally: dto.requireTaxedLocally ?? true,
          requireIndependentLegalEntity: dto.requireIndependentLegalEntity ?? true,
          eligibleKinds: dto.eligibleKinds,
          salesThreshold: dto.salesThreshold
            ? {
                minimumFen: dto.salesThreshold.minimumFen,
                period: dto.salesThreshold.period ?? null,
              }
            : null,
        };
        await tx.query(
          `INSERT INTO subsidy_policy (id, program_id, name, rules, max_amount_fen, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, programId, dto.name.trim(), JSON.stringify(rules), dto.maxAmountFen, actor.subject],
        );
        const view: SubsidyPolicyView = {
          id,
          programId,
          divisionCode: program.divisionCode,
          name: dto.name.trim(),
          maxAmountFen: dto.maxAmountFen,
          rules,
          status: 'active',
          version: 1,
        };
        await this.events.record(tx, {
          entityType: 'subsidy_policy',
          entityId: id,
          programId,
          divisionCode: program.divisionCode,
          status: 'active',
          version: 1,
          summary: {
            name: view.name,
            maxAmountFen: view.maxAmountFen,
            eligibleKinds: rules.eligibleKinds,
          },
          action: 'subsidy-policy.created',
          after: view,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProblemException(
          409,
          'subsidy-policy-exists',
          'Policy already exists',
          `The program already has a policy named "${dto.name.trim()}".`,
        );
      }
      throw error;
    }
  }

  async listPolicies(actor: Principal, programId?: string): Promise<SubsidyPolicyView[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        program_id: string;
        division_code: string;
        name: string;
        max_amount_fen: string;
        rules: SubsidyRules;
        status: string;
        version: number;
      }[]
    >(
      `SELECT s.*, p.division_code FROM subsidy_policy s JOIN program p ON p.id = s.program_id
       WHERE p.division_code LIKE $1 || '%' AND ($2::uuid IS NULL OR s.program_id = $2) ORDER BY s.created_at, s.id`,
      [regionPrefixOf(actor), programId ?? null],
    );
    return rows.map((row) => ({
      id: row.id,
      programId: row.program_id,
      divisionCode: row.division_code,
      name: row.name,
      maxAmountFen: fen(row.max_amount_fen),
      rules: row.rules,
      status: row.status,
      version: row.version,
    }));
  }

  /** Files an application and evaluates every rule at once. */
  async apply(actor: Principal, dto: CreateSubsidyApplicationDto): Promise<SubsidyApplicationView> {
    const today = shanghaiDay();
    const applicationDate = dto.applicationDate ?? today;
    if (!isCalendarDay(applicationDate) || applicationDate > today) {
      throw new ValidationProblemException([
        { path: 'applicationDate', message: `must be a real day not after today (${today})` },
      ]);
    }
    const policyId = dto.policyId.toLowerCase();
    const enterpriseId = dto.enterpriseId.toLowerCase();
    return this.dataSource.transaction(async (tx) => {
      const policy = (await this.listPolicies(actor, undefined)).find((p) => p.id === policyId);
      if (!policy) throw notFound('subsidy policy', policyId);
      if (dto.amountFen > policy.maxAmountFen) {
        throw new ValidationProblemException([
          {
            path: 'amountFen',
            message: `${yuan(dto.amountFen)} is more than the policy's ${yuan(policy.maxAmountFen)} per application`,
          },
        ]);
      }
      const { results, enterpriseName } = await this.evaluate(
        tx,
        policy.rules,
        enterpriseId,
        applicationDate,
      );
      const status: ApplicationStatus = results.every((r) => r.passed) ? 'eligible' : 'ineligible';
      const id = randomUUID();
      await tx.query(
        `INSERT INTO subsidy_application (id, policy_id, program_id, enterprise_id, enterprise_name, amount_fen,
           application_date, rule_results, status, filed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          policyId,
          policy.programId,
          enterpriseId,
          enterpriseName,
          dto.amountFen,
          applicationDate,
          JSON.stringify(results),
          status,
          actor.subject,
        ],
      );
      const view = (await this.find(tx, id)) as SubsidyApplicationView;
      await this.recordChange(tx, view, 'subsidy-application.evaluated');
      return view;
    });
  }

  /** Evaluates an undecided application again (e.g. once analytics has published a figure). */
  async reevaluate(actor: Principal, id: string): Promise<SubsidyApplicationView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.lock(tx, actor, id);
      if (current.status !== 'eligible' && current.status !== 'ineligible') throw decided(current);
      const policy = (await this.listPolicies(actor, current.programId)).find(
        (p) => p.id === current.policyId,
      );
      if (!policy) throw notFound('subsidy policy', current.policyId);
      const { results, enterpriseName } = await this.evaluate(
        tx,
        policy.rules,
        current.enterpriseId,
        current.applicationDate,
      );
      const status: ApplicationStatus = results.every((r) => r.passed) ? 'eligible' : 'ineligible';
      await tx.query(
        `UPDATE subsidy_application SET rule_results = $2, status = $3, enterprise_name = $4, version = version + 1 WHERE id = $1`,
        [id, JSON.stringify(results), status, enterpriseName],
      );
      const view = (await this.find(tx, id)) as SubsidyApplicationView;
      await this.recordChange(tx, view, 'subsidy-application.re-evaluated', current);
      return view;
    });
  }

  async approve(actor: Principal, id: string, note?: string): Promise<SubsidyApplicationView> {
    return this.decide(actor, id, 'approved', note ?? null);
  }

  async reject(actor: Principal, id: string, reason: string): Promise<SubsidyApplicationView> {
    return this.decide(actor, id, 'rejected', reason);
  }

  private async decide(
    actor: Principal,
    id: string,
    outcome: 'approved' | 'rejected',
    reason: string | null,
  ): Promise<SubsidyApplicationView> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.lock(tx, actor, id);
      if (current.status !== 'eligible' && current.status !== 'ineligible') throw decided(current);
      if (current.filedBy === actor.subject) {
        throw new ProblemException(
          403,
          'four-eyes-principle',
          'A second official must decide',
          'You filed this application; another commerce official or an administrator decides it (四眼原则).',
        );
      }
      if (outcome === 'approved' && current.status !== 'eligible') {
        const failed = current.ruleResults
          .filter((r) => !r.passed)
          .map((r) => `${r.rule}: ${r.reason}`);
        throw new ProblemException(
          409,
          'application-not-eligible',
          'Application not eligible',
          `Application ${id} fails ${failed.length} rule(s): ${failed.join('; ')}. Reject it, or re-evaluate once the facts change.`,
          { ruleResults: current.ruleResults },
        );
      }
      await tx.query(
        `UPDATE subsidy_application SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4, version = version + 1 WHERE id = $1`,
        [id, outcome, actor.subject, reason],
      );
      const view = (await this.find(tx, id)) as SubsidyApplicationView;
      await this.recordChange(tx, view, `subsidy-application.${outcome}`, current);
      return view;
    });
  }

  /** Pays an approved application from the program's available money, exactly once. */
  async pay(actor: Principal, id: string): Promise<SubsidyApplicationView> {
    return this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<{ program_id: string }[]>(
        'SELECT program_id FROM subsidy_application WHERE id = $1',
        [id],
      );
      if (!row) throw notFound('subsidy application', id);
      const program = await loadProgram(tx, row.program_id, actor, true);
      const current = await this.lock(tx, actor, id);
      if (current.status === 'paid') {
        throw new ProblemException(
          409,
          'application-already-paid',
          'Already paid',
          `Application ${id} was paid at ${current.paidAt}; it is paid exactly once.`,
        );
      }
      if (current.status !== 'approved') {
        throw new ProblemException(
          409,
          'application-not-approved',
          'Not approved',
          `Application ${id} is ${current.status}; only an approved application is paid.`,
        );
      }
      const figures = (await programFigures(tx, [program.id])).get(program.id);
      const available = figures?.availableFen ?? 0;
      if (current.amountFen > available) {
        throw new ProblemException(
          409,
          'subsidy-exceeds-program',
          'Subsidy exceeds what the program has left',
          `Program "${program.name}" has ${yuan(available)} left; the subsidy is ${yuan(current.amountFen)}.`,
          { availableFen: available, amountFen: current.amountFen },
        );
      }
      const now = new Date();
      const entry = await this.ledger.post(
        tx,
        {
          kind: 'subsidy_payment',
          programId: program.id,
          divisionCode: program.divisionCode,
          amountFen: current.amountFen,
          subsidyApplicationId: id,
          payeeEnterpriseId: current.enterpriseId,
          lines: transfer(
            accounts.subsidyPaid(id),
            accounts.programAvailable(program.id),
            current.amountFen,
          ),
          memo: `奖补: ${current.enterpriseName ?? current.enterpriseId}`,
          postedBy: actor.subject,
        },
        now,
      );
      await tx.query(
        `UPDATE subsidy_application SET status = 'paid', paid_at = $2, journal_entry_id = $3, version = version + 1 WHERE id = $1`,
        [id, now, entry.entryId],
      );
      const view = (await this.find(tx, id)) as SubsidyApplicationView;
      await this.recordChange(tx, view, 'subsidy-application.paid', current);
      return view;
    });
  }

  async get(actor: Principal, id: string): Promise<SubsidyApplicationView> {
    const view = await this.find(this.dataSource.manager, id);
    return foundInRegion(actor, view, () => notFound('subsidy application', id));
  }

  async list(
    actor: Principal,
    policyId?: string,
    status?: string,
  ): Promise<SubsidyApplicationView[]> {
    const rows = await this.dataSource.query<ApplicationRow[]>(
      `${APPLICATION_SELECT} WHERE p.division_code LIKE $1 || '%' AND ($2::uuid IS NULL OR a.policy_id = $2)
         AND ($3::text IS NULL OR a.status = $3) ORDER BY a.created_at DESC, a.id LIMIT 500`,
      [regionPrefixOf(actor), policyId ?? null, status ?? null],
    );
    return rows.map(toApplicationView);
  }

  private async evaluate(
    tx: EntityManager,
    rules: SubsidyRules,
    enterpriseId: string,
    applicationDate: string,
  ): Promise<{ results: RuleResult[]; enterpriseName: string | null }> {
    const [enterprise] = await tx.query<
      {
        id: string;
        name: string;
        kinds: string[];
        registered_division_code: string;
        status_history: EnterpriseFacts['statusHistory'];
        tax_registered_locally: boolean;
        independent_legal_entity: boolean;
        blacklist_periods: EnterpriseFacts['blacklistPeriods'];
      }[]
    >('SELECT * FROM known_enterprise WHERE id = $1', [enterpriseId]);
    const facts: EnterpriseFacts | null = enterprise
      ? {
          id: enterprise.id,
          name: enterprise.name,
          kinds: enterprise.kinds,
          registeredDivisionCode: enterprise.registered_division_code,
          statusHistory: enterprise.status_history,
          taxRegisteredLocally: enterprise.tax_registered_locally,
          independentLegalEntity: enterprise.independent_legal_entity,
          blacklistPeriods: enterprise.blacklist_periods,
        }
      : null;
    let sales: SalesFigure | null = null;
    const period = salesPeriodFor(rules, applicationDate);
    if (period && facts) {
      // The enterprise's own cell; if analytics published it at several division levels, the
      // one at its registered division, else the most specific one.
      const [cell] = await tx.query<
        { division_code: string; value: number | null; version: number }[]
      >(
        `SELECT division_code, value, version FROM known_indicator_cell
         WHERE enterprise_id = $1 AND indicator = 'retail_sales' AND period = $2
         ORDER BY (division_code = $3) DESC, length(rtrim(division_code, '0')) DESC, version DESC LIMIT 1`,
        [enterpriseId, period, facts.registeredDivisionCode],
      );
      if (cell) {
        sales = {
          period,
          divisionCode: cell.division_code,
          valueFen: cell.value === null ? null : Math.round(cell.value),
          version: cell.version,
        };
      }
    }
    return {
      results: evaluateEligibility(rules, facts, applicationDate, sales),
      enterpriseName: facts?.name ?? null,
    };
  }

  private async find(manager: EntityManager, id: string): Promise<SubsidyApplicationView | null> {
    const rows = await manager.query<ApplicationRow[]>(`${APPLICATION_SELECT} WHERE a.id = $1`, [
      id,
    ]);
    return rows[0] ? toApplicationView(rows[0]) : null;
  }

  private async lock(
    tx: EntityManager,
    actor: Principal,
    id: string,
  ): Promise<SubsidyApplicationView> {
    await tx.query('SELECT id FROM subsidy_application WHERE id = $1 FOR UPDATE', [id]);
    const view = await this.find(tx, id);
    return foundInRegion(actor, view, () => notFound('subsidy application', id));
  }

  private async recordChange(
    tx: EntityManager,
    view: SubsidyApplicationView,
    action: string,
    before?: SubsidyApplicationView,
  ): Promise<void> {
    await this.events.record(tx, {
      entityType: 'subsidy_application',
      entityId: view.id,
      programId: view.programId,
      divisionCode: view.divisionCode,
      status: view.status,
      version: view.version,
      summary: {
        policyId: view.policyId,
        enterpriseId: view.enterpriseId,
        amountFen: view.amountFen,
        applicationDate: view.applicationDate,
        failedRules: view.ruleResults.filter((r) => !r.passed).map((r) => r.rule),
        reason: view.decisionReason,
      },
      action,
      before,
      after: view,
    });
  }
}

function decided(view: SubsidyApplicationView): ProblemException {
  return new ProblemException(
    409,
    'application-already-decided',
    'Application already decided',
    `Application ${view.id} is already ${view.status}${view.decidedBy ? ` (by ${view.decidedBy})` : ''}.`,
    { applicationStatus: view.status },
  );
}
