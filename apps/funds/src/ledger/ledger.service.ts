import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  FundsJournalPosted,
  type FundsJournalPostedV1,
  type JournalEntryKind,
} from '@ecomlog/contracts';
import { OutboxWriter } from '@ecomlog/messaging';
import { fen } from '../shared/money';
import { shanghaiTimestamp } from '@ecomlog/kernel';
import {
  attributeToSources,
  unbalancedReason,
  type JournalLine,
  type SourceShare,
} from './journal';

export interface PostEntry {
  kind: JournalEntryKind;
  programId: string;
  divisionCode: string;
  amountFen: number;
  lines: JournalLine[];
  /** Allocations name their source; other kinds are attributed first in, first out. */
  sourceId?: string;
  contractId?: string | null;
  trancheId?: string | null;
  subsidyApplicationId?: string | null;
  payeeEnterpriseId?: string | null;
  memo?: string | null;
  postedBy?: string | null;
}

export interface AccountBalance {
  account: string;
  debitFen: number;
  creditFen: number;
  /** debit − credit */
  balanceFen: number;
}

export interface BalanceMismatch {
  kind: 'account' | 'entry' | 'allocation' | 'tranche' | 'subsidy_application';
  subject: string;
  detail: string;
}

export interface BalanceCheckReport {
  checkedAt: string;
  entries: number;
  accounts: number;
  mismatches: BalanceMismatch[];
  ok: boolean;
}

/**
 * Posts balanced journal entries (lines, the account balances kept beside them, and one
 * FundsJournalPosted in the outbox, all in the caller's transaction) and checks that every stored
 * figure can be recomputed from the journal.
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * The caller holds the program's row lock, so the first-in-first-out source attribution sees
   * every earlier entry of the program.
   */
  async post(tx: EntityManager, entry: PostEntry, now = new Date()): Promise<FundsJournalPostedV1> {
    const problem = unbalancedReason(entry.lines, entry.amountFen);
    if (problem) throw new Error(`Refusing to post an unbalanced ${entry.kind} entry: ${problem}`);
    const sourceShares = await this.sourceShares(tx, entry);
    const id = randomUUID();
    const postedAt = shanghaiTimestamp(now);
    await tx.query(
      `INSERT INTO journal_entry (id, kind, program_id, division_code, amount_fen, source_shares,
         contract_id, tranche_id, subsidy_application_id, payee_enterprise_id, posted_at, memo, posted_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        id,
        entry.kind,
        entry.programId,
        entry.divisionCode,
        entry.amountFen,
        JSON.stringify(sourceShares),
        entry.contractId ?? null,
        entry.trancheId ?? null,
        entry.subsidyApplicationId ?? null,
        entry.payeeEnterpriseId ?? null,
        now,
        entry.memo ?? null,
        entry.postedBy ?? null,
      ],
    );
    await tx.query(
      `INSERT INTO journal_line (entry_id, line_no, account, debit_fen, credit_fen)
       SELECT $1, line_no, account, debit, credit
       FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[]) AS t(line_no, account, debit, credit)`,
      [
        id,
        entry.lines.map((_, index) => index + 1),
        entry.lines.map((line) => line.account),
        entry.lines.map((line) => line.debitFen),
        entry.lines.map((line) => line.creditFen),
      ],
    );
    // Accounts in a fixed order, so two transactions never wait on each other's rows crosswise.
    const byAccount = new Map<string, { debit: number; credit: number }>();
    for (const line of entry.lines) {
      const sum = byAccount.get(line.account) ?? { debit: 0, credit: 0 };
      sum.debit += line.debitFen;
      sum.credit += line.creditFen;
      byAccount.set(line.account, sum);
    }
    const sorted = [...byAccount].sort(([a], [b]) => a.localeCompare(b));
    await tx.query(
      `INSERT INTO account_balance AS b (account, debit_fen, credit_fen)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT (account) DO UPDATE SET
         debit_fen = b.debit_fen + EXCLUDED.debit_fen,
         credit_fen = b.credit_fen + EXCLUDED.credit_fen,
         updated_at = now()`,
      [sorted.map(([a]) => a), sorted.map(([, s]) => s.debit), sorted.map(([, s]) => s.credit)],
    );
    const payload: FundsJournalPostedV1 = {
      entryId: id,
      kind: entry.kind,
      programId: entry.programId,
      divisionCode: entry.divisionCode,
      amountFen: entry.amountFen,
      sourceShares,
      contractId: entry.contractId ?? null,
      trancheId: entry.trancheId ?? null,
      subsidyApplicationId: entry.subsidyApplicationId ?? null,
      payeeEnterpriseId: entry.payeeEnterpriseId ?? null,
      lines: entry.lines.map((line) => ({ ...line })),
      postedAt,
      memo: entry.memo ?? null,
    };
    await this.outbox.append(tx, FundsJournalPosted, [payload], { time: now });
    return payload;
  }

  private async sourceShares(tx: EntityManager, entry: PostEntry): Promise<SourceShare[]> {
    if (entry.kind === 'allocation') {
      if (!entry.sourceId) throw new Error('An allocation entry names its source');
      return [{ sourceId: entry.sourceId, amountFen: entry.amountFen }];
    }
    const allocations = await tx.query<{ source_id: string; amount_fen: string }[]>(
      `SELECT a.source_id, a.amount_fen FROM allocation a
       JOIN journal_entry e ON e.id = a.journal_entry_id
       WHERE a.program_id = $1 ORDER BY e.seq`,
      [entry.programId],
    );
    const streamKinds =
      entry.kind === 'contract_commitment'
        ? ['contract_commitment']
        : ['disbursement', 'subsidy_payment'];
    const [consumed] = await tx.query<{ total: string | null }[]>(
      `SELECT sum(amount_fen) AS total FROM journal_entry
       WHERE program_id = $1 AND kind = ANY($2::text[])`,
      [entry.programId, streamKinds],
    );
    return attributeToSources(
      allocations.map((row) => ({ sourceId: row.source_id, amountFen: fen(row.amount_fen) })),
      fen(consumed?.total),
      entry.amountFen,
    );
  }

  /** Balances as kept (filtered by an account prefix such as `program:<id>`). */
  async balances(accountPrefix?: string): Promise<AccountBalance[]> {
    const rows = await this.dataSource.query<
      { account: string; debit_fen: string; credit_fen: string }[]
    >(
      `SELECT account, debit_fen, credit_fen FROM account_balance
       WHERE ($1::text IS NULL OR account LIKE $1 || '%') ORDER BY account`,
      [accountPrefix ?? null],
    );
    return rows.map((row) => ({
      account: row.account,
      debitFen: fen(row.debit_fen),
      creditFen: fen(row.credit_fen),
      balanceFen: fen(row.debit_fen) - fen(row.credit_fen),
    }));
  }

  /**
   * Recomputes everything from the journal, in one repeatable-read snapshot, and lists every
   * difference: account balances, entries that do not balance, allocations, paid tranches and
   * paid subsidy applications whose journal entry is missing or differs.
   */
  async balanceCheck(): Promise<BalanceCheckReport> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const q = <T>(sql: string): Promise<T> => runner.query(sql) as Promise<T>;
      const mismatches: BalanceMismatch[] = [];
      const accounts = await q<
        {
          account: string;
          kept_d: string | null;
          kept_c: string | null;
          journal_d: string | null;
          journal_c: string | null;
        }[]
      >(
        `SELECT coalesce(b.account, j.account) AS account,
                b.debit_fen AS kept_d, b.credit_fen AS kept_c, j.d AS journal_d, j.c AS journal_c
         FROM account_balance b
         FULL JOIN (SELECT account, sum(debit_fen) AS d, sum(credit_fen) AS c FROM journal_line GROUP BY account) j
           ON j.account = b.account
         WHERE b.account IS NULL OR j.account IS NULL
            OR b.debit_fen <> j.d OR b.credit_fen <> j.c`,
      );
      for (const row of accounts) {
        mismatches.push({
          kind: 'account',
          subject: row.account,
          detail: `kept debit ${fen(row.kept_d)} / credit ${fen(row.kept_c)}, journal says debit ${fen(row.journal_d)} / credit ${fen(row.journal_c)}`,
        });
      }
      const entries = await q<
        {
          id: string;
          amount_fen: string;
          d: string | null;
          c: string | null;
          shares: string | null;
        }[]
      >(
        `SELECT e.id, e.amount_fen, l.d, l.c,
                (SELECT sum((s->>'amountFen')::bigint) FROM jsonb_array_elements(e.source_shares) s) AS shares
         FROM journal_entry e
         LEFT JOIN (SELECT entry_id, sum(debit_fen) AS d, sum(credit_fen) AS c FROM journal_line GROUP BY entry_id) l
           ON l.entry_id = e.id`,
      );
      for (const row of entries) {
        const amount = fen(row.amount_fen);
        if (fen(row.d) !== amount || fen(row.c) !== amount || fen(row.shares) !== amount) {
          mismatches.push({
            kind: 'entry',
            subject: row.id,
            detail: `amount ${amount}, debits ${fen(row.d)}, credits ${fen(row.c)}, source shares ${fen(row.shares)}`,
          });
        }
      }
      const allocations = await q<{ id: string; detail: string }[]>(
        `SELECT a.id, 'allocation of ' || a.amount_fen || ' has a ' || coalesce(e.kind, 'missing') || ' entry of ' || coalesce(e.amount_fen::text, '0') AS detail
         FROM allocation a LEFT JOIN journal_entry e ON e.id = a.journal_entry_id
         WHERE e.id IS NULL OR e.kind <> 'allocation' OR e.amount_fen <> a.amount_fen
            OR e.program_id <> a.program_id OR e.source_shares->0->>'sourceId' <> a.source_id::text`,
      );
      mismatches.push(
        ...allocations.map((r) => ({
          kind: 'allocation' as const,
          subject: r.id,
          detail: r.detail,
        })),
      );
      const tranches = await q<{ id: string; detail: string }[]>(
        `SELECT t.id, 'tranche ' || t.status || ' of ' || t.amount_fen || ' has ' || count(e.id) || ' disbursement entries totalling ' || coalesce(sum(e.amount_fen), 0) AS detail
         FROM tranche t LEFT JOIN journal_entry e ON e.tranche_id = t.id AND e.kind = 'disbursement'
         GROUP BY t.id
         HAVING (t.status = 'paid') <> (count(e.id) = 1)
             OR (t.status = 'paid' AND coalesce(sum(e.amount_fen), 0) <> t.amount_fen)`,
      );
      mismatches.push(
        ...tranches.map((r) => ({ kind: 'tranche' as const, subject: r.id, detail: r.detail })),
      );
      const applications = await q<{ id: string; detail: string }[]>(
        `SELECT a.id, 'application ' || a.status || ' of ' || a.amount_fen || ' has ' || count(e.id) || ' payment entries' AS detail
         FROM subsidy_application a LEFT JOIN journal_entry e ON e.subsidy_application_id = a.id AND e.kind = 'subsidy_payment'
         GROUP BY a.id
         HAVING (a.status = 'paid') <> (count(e.id) = 1)
             OR (a.status = 'paid' AND coalesce(sum(e.amount_fen), 0) <> a.amount_fen)`,
      );
      mismatches.push(
        ...applications.map((r) => ({
          kind: 'subsidy_application' as const,
          subject: r.id,
          detail: r.detail,
        })),
      );
      const [counts] = await q<{ entries: string; accounts: string }[]>(
        'SELECT (SELECT count(*) FROM journal_entry) AS entries, (SELECT count(*) FROM account_balance) AS accounts',
      );
      await runner.commitTransaction();
      return {
        checkedAt: shanghaiTimestamp(),
        entries: fen(counts?.entries),
        accounts: fen(counts?.accounts),
        mismatches,
        ok: mismatches.length === 0,
      };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}
