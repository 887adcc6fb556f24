import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funds ledger: sources, programs, contracts with tasks and tranches, audits and findings,
 * disbursement requests, subsidy policies and applications, and the double-entry journal with the
 * account balances kept beside it (always recomputable from journal_line).
 * Money is integer fen in bigint columns.
 */
export class CreateFundsLedger1732001100000 implements MigrationInterface {
  name = 'CreateFundsLedger1732001100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE funding_source (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        -- central / provincial / municipal / county budget line
        level text NOT NULL CHECK (level IN ('central', 'provincial', 'municipal', 'county')),
        budget_year int NOT NULL,
        -- the region whose programs may draw on it (12 digits)
        division_code char(12) NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        status text NOT NULL DEFAULT 'active',
        version int NOT NULL DEFAULT 1,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (division_code, budget_year, name)
      )`,
      `CREATE TABLE program (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        year int NOT NULL,
        division_code char(12) NOT NULL,
        status text NOT NULL DEFAULT 'active',
        version int NOT NULL DEFAULT 1,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (division_code, name)
      )`,
      `CREATE TABLE journal_entry (
        id uuid PRIMARY KEY,
        -- strictly increasing posting order (deterministic source attribution, replay order)
        seq bigserial UNIQUE,
        kind text NOT NULL CHECK (kind IN ('allocation', 'contract_commitment', 'disbursement', 'subsidy_payment')),
        program_id uuid NOT NULL REFERENCES program (id),
        division_code char(12) NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        source_shares jsonb NOT NULL,
        contract_id uuid,
        tranche_id uuid,
        subsidy_application_id uuid,
        payee_enterprise_id uuid,
        posted_at timestamptz NOT NULL,
        memo text,
        posted_by text
      )`,
      // The last line of defence against double payment: one disbursement per tranche, one
      // payment per subsidy application, one commitment per contract.
      `CREATE UNIQUE INDEX journal_entry_one_disbursement_per_tranche ON journal_entry (tranche_id) WHERE kind = 'disbursement'`,
      `CREATE UNIQUE INDEX journal_entry_one_payment_per_application ON journal_entry (subsidy_application_id) WHERE kind = 'subsidy_payment'`,
      `CREATE UNIQUE INDEX journal_entry_one_commitment_per_contract ON journal_entry (contract_id) WHERE kind = 'contract_commitment'`,
      'CREATE INDEX journal_entry_by_program ON journal_entry (program_id, seq)',
      `CREATE TABLE journal_line (
        entry_id uuid NOT NULL REFERENCES journal_entry (id),
        line_no int NOT NULL,
        account text NOT NULL,
        debit_fen bigint NOT NULL CHECK (debit_fen >= 0),
        credit_fen bigint NOT NULL CHECK (credit_fen >= 0),
        CHECK ((debit_fen > 0) <> (credit_fen > 0)),
        PRIMARY KEY (entry_id, line_no)
      )`,
      'CREATE INDEX journal_line_by_account ON journal_line (account)',
      // Kept in the posting transaction for fast reads; POST /v1/ledger/balance-check recomputes
      // every row from journal_line and reports any difference.
      `CREATE TABLE account_balance (
        account text PRIMARY KEY,
        debit_fen bigint NOT NULL DEFAULT 0,
        credit_fen bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE allocation (
        id uuid PRIMARY KEY,
        source_id uuid NOT NULL REFERENCES funding_source (id),
        program_id uuid NOT NULL REFERENCES program (id),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        journal_entry_id uuid NOT NULL UNIQUE REFERENCES journal_entry (id),
        memo text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX allocation_by_source ON allocation (source_id)',
      'CREATE INDEX allocation_by_program ON allocation (program_id, created_at)',
      `CREATE TABLE contract (
        id uuid PRIMARY KEY,
        program_id uuid NOT NULL REFERENCES program (id),
        contractor_enterprise_id uuid NOT NULL,
        contractor_name text NOT NULL,
        title text NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        signed_on date NOT NULL,
        status text NOT NULL DEFAULT 'signed',
        version int NOT NULL DEFAULT 1,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (program_id, title)
      )`,
      'CREATE INDEX contract_by_program ON contract (program_id)',
      `CREATE TABLE contract_task (
        contract_id uuid NOT NULL REFERENCES contract (id),
        sequence int NOT NULL,
        description text NOT NULL,
        -- optional site target: N sites of this kind operated by the contractor, operating
        site_kind text,
        target_count int,
        PRIMARY KEY (contract_id, sequence)
      )`,
      `CREATE TABLE tranche (
        id uuid PRIMARY KEY,
        contract_id uuid NOT NULL REFERENCES contract (id),
        sequence int NOT NULL,
        label text NOT NULL,
        percent_basis_points int,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        condition_kind text NOT NULL CHECK (condition_kind IN ('on_signing', 'audit_passed', 'milestone', 'manual_approval')),
        milestone_site_kind text,
        milestone_minimum int,
        manual_approved_by text,
        manual_approved_at timestamptz,
        manual_approval_note text,
        -- scheduled → requested → paid (a refused request puts it back to scheduled)
        status text NOT NULL DEFAULT 'scheduled',
        paid_at timestamptz,
        journal_entry_id uuid REFERENCES journal_entry (id),
        version int NOT NULL DEFAULT 1,
        UNIQUE (contract_id, sequence)
      )`,
      `CREATE TABLE contract_audit (
        id uuid PRIMARY KEY,
        contract_id uuid NOT NULL REFERENCES contract (id),
        audited_on date NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('passed', 'findings')),
        -- passed, findings_open, rectified (every finding rectified: counts as passed)
        status text NOT NULL,
        summary text,
        auditor text NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX contract_audit_by_contract ON contract_audit (contract_id, audited_on)',
      `CREATE TABLE audit_finding (
        id uuid PRIMARY KEY,
        audit_id uuid NOT NULL REFERENCES contract_audit (id),
        sequence int NOT NULL,
        description text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rectified')),
        rectified_by text,
        rectified_at timestamptz,
        rectification_note text,
        UNIQUE (audit_id, sequence)
      )`,
      `CREATE TABLE disbursement_request (
        id uuid PRIMARY KEY,
        tranche_id uuid NOT NULL REFERENCES tranche (id),
        requested_by text NOT NULL,
        idempotency_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending_approval', 'paid', 'rejected')),
        decided_by text,
        decided_at timestamptz,
        decision_note text,
        journal_entry_id uuid REFERENCES journal_entry (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (requested_by, idempotency_key)
      )`,
      // At most one live request per tranche: concurrent requests race on this index.
      `CREATE UNIQUE INDEX disbursement_request_one_live_per_tranche ON disbursement_request (tranche_id) WHERE status IN ('pending_approval', 'paid')`,
      `CREATE TABLE subsidy_policy (
        id uuid PRIMARY KEY,
        program_id uuid NOT NULL REFERENCES program (id),
        name text NOT NULL,
        rules jsonb NOT NULL,
        max_amount_fen bigint NOT NULL CHECK (max_amount_fen > 0),
        status text NOT NULL DEFAULT 'active',
        version int NOT NULL DEFAULT 1,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (program_id, name)
      )`,
      `CREATE TABLE subsidy_application (
        id uuid PRIMARY KEY,
        policy_id uuid NOT NULL REFERENCES subsidy_policy (id),
        program_id uuid NOT NULL REFERENCES program (id),
        enterprise_id uuid NOT NULL,
        enterprise_name text,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        application_date date NOT NULL,
        rule_results jsonb NOT NULL,
        -- eligible / ineligible → approved / rejected → paid
        status text NOT NULL,
        filed_by text NOT NULL,
        decided_by text,
        decided_at timestamptz,
        decision_reason text,
        paid_at timestamptz,
        journal_entry_id uuid REFERENCES journal_entry (id),
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX subsidy_application_by_policy ON subsidy_application (policy_id)',
      `CREATE TABLE known_enterprise (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kinds text[] NOT NULL,
        registered_division_code char(12) NOT NULL,
        registered_on date NOT NULL,
        status text NOT NULL,
        status_history jsonb NOT NULL,
        tax_registered_locally boolean NOT NULL,
        independent_legal_entity boolean NOT NULL,
        credit_status text NOT NULL,
        blacklist_periods jsonb NOT NULL,
        version int NOT NULL
      )`,
      `CREATE TABLE known_site (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        division_code char(12) NOT NULL,
        operator_enterprise_id uuid NOT NULL,
        -- dated entries, oldest first: [{status, effectiveFrom, note}]
        status_history jsonb NOT NULL,
        version int NOT NULL
      )`,
      'CREATE INDEX known_site_by_operator ON known_site (operator_enterprise_id, kind)',
      // Enterprise-scoped indicator cells from analytics.indicators.v1 (subsidy sales thresholds).
      `CREATE TABLE known_indicator_cell (
        indicator text NOT NULL,
        division_code char(12) NOT NULL,
        period text NOT NULL,
        scope text NOT NULL,
        enterprise_id uuid NOT NULL,
        value double precision,
        version int NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (indicator, division_code, period, scope)
      )`,
      'CREATE INDEX known_indicator_cell_by_enterprise ON known_indicator_cell (enterprise_id, indicator, period)',
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'known_indicator_cell',
      'known_site',
      'known_enterprise',
      'subsidy_application',
      'subsidy_policy',
      'disbursement_request',
      'audit_finding',
      'contract_audit',
      'tranche',
      'contract_task',
      'contract',
      'allocation',
      'account_balance',
      'journal_line',
      'journal_entry',
      'program',
      'funding_source',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
