import type { JournalEntryKind } from '@ecomlog/contracts';

/**
 * The chart of accounts (debit − credit is each account's balance):
 *
 * - `source:<id>:budget`        credited by allocations: minus what the source has given away
 * - `program:<id>:available`    debited by allocations, credited by commitments and subsidy
 *                               payments: what the program can still commit (unallocated remainder)
 * - `contract:<id>:payable`     debited by the contract's commitment, credited by each tranche
 *                               paid: the program's commitment still owed to the contractor
 * - `contract:<id>:paid`        debited by each tranche paid: what the contractor received
 * - `subsidy:<applicationId>:paid` debited by a subsidy payment: what the applicant received
 *
 * So money flows source → program → contractor payable (commitment) → paid, every step one
 * balanced entry.
 */
export const accounts = {
  sourceBudget: (sourceId: string) => `source:${sourceId}:budget`,
  programAvailable: (programId: string) => `program:${programId}:available`,
  contractPayable: (contractId: string) => `contract:${contractId}:payable`,
  contractPaid: (contractId: string) => `contract:${contractId}:paid`,
  subsidyPaid: (applicationId: string) => `subsidy:${applicationId}:paid`,
};

export interface JournalLine {
  account: string;
  debitFen: number;
  creditFen: number;
}

export interface SourceShare {
  sourceId: string;
  amountFen: number;
}

/** A two-line entry moving `amountFen` from `credit` to `debit`. */
export function transfer(debit: string, credit: string, amountFen: number): JournalLine[] {
  return [
    { account: debit, debitFen: amountFen, creditFen: 0 },
    { account: credit, debitFen: 0, creditFen: amountFen },
  ];
}

/**
 * Why an entry cannot be posted, or null when it balances: every line is one-sided with a safe
 * integer amount, and Σ debit = Σ credit = the entry's amount.
 */
export function unbalancedReason(lines: JournalLine[], amountFen: number): string | null {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    return `amount ${amountFen} must be a positive integer of fen`;
  }
  if (lines.length < 2) return 'an entry needs at least two lines';
  let debit = 0;
  let credit = 0;
  for (const [index, line] of lines.entries()) {
    const { debitFen, creditFen } = line;
    if (!Number.isSafeInteger(debitFen) || !Number.isSafeInteger(creditFen)) {
      return `line ${index} (${line.account}) must carry integer fen`;
    }
    if (debitFen < 0 || creditFen < 0 || debitFen > 0 === creditFen > 0) {
      return `line ${index} (${line.account}) must be either a debit or a credit, positive`;
    }
    debit += debitFen;
    credit += creditFen;
  }
  if (debit !== credit) return `debits ${debit} ≠ credits ${credit}`;
  if (debit !== amountFen) return `debits and credits ${debit} ≠ entry amount ${amountFen}`;
  return null;
}

/** One allocation of the program, in posting order. */
export interface ProgramAllocation {
  sourceId: string;
  amountFen: number;
}

/**
 * Which sources an outflow of the program came from, first in first out: the program's
 * allocations, in posting order, are laid end to end; an outflow stream (commitments, or
 * disbursements and subsidy payments together) consumes them from the start, so the outflow
 * occupying [consumedBefore, consumedBefore + amountFen) is attributed to the allocations under
 * that range. Deterministic (it depends only on posting order) and never attributes more to a
 * source than it allocated to the program. Shares of the same source are merged.
 */
export function attributeToSources(
  allocations: ProgramAllocation[],
  consumedBefore: number,
  amountFen: number,
): SourceShare[] {
  const total = allocations.reduce((sum, a) => sum + a.amountFen, 0);
  if (consumedBefore + amountFen > total) {
    throw new Error(
      `outflow of ${amountFen} after ${consumedBefore} exceeds the ${total} allocated to the program`,
    );
  }
  const shares = new Map<string, number>();
  let start = 0;
  const from = consumedBefore;
  const to = consumedBefore + amountFen;
  for (const allocation of allocations) {
    const end = start + allocation.amountFen;
    const overlap = Math.min(end, to) - Math.max(start, from);
    if (overlap > 0) {
      shares.set(allocation.sourceId, (shares.get(allocation.sourceId) ?? 0) + overlap);
    }
    start = end;
    if (start >= to) break;
  }
  return [...shares].map(([sourceId, share]) => ({ sourceId, amountFen: share }));
}

/** Which outflow stream (for source attribution) a kind belongs to. */
export function attributionStream(kind: JournalEntryKind): 'allocation' | 'commitment' | 'payout' {
  if (kind === 'allocation') return 'allocation';
  if (kind === 'contract_commitment') return 'commitment';
  return 'payout';
}
