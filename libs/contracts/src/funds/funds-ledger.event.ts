import { IsISO8601, IsObject, IsOptional, IsUUID } from 'class-validator';
import { defineEvent } from '../event-definition';
import { SnapshotEventV1 } from '../snapshot-event';
import { DivisionCode, FenAmount, NestedArray, OneOf, OptionalText, Text } from '../field-rules';
import { TOPICS } from '../topics';

/**
 * What a journal entry records. `allocation` moves money from a source to a program;
 * `contract_commitment` commits program money to a contractor; `disbursement` pays a contract
 * tranche; `subsidy_payment` pays an approved subsidy application. Only `allocation` counts as
 * allocated and only `disbursement` and `subsidy_payment` count as disbursed (资金拨付).
 */
export const JOURNAL_ENTRY_KINDS = [
  'allocation',
  'contract_commitment',
  'disbursement',
  'subsidy_payment',
] as const;
export type JournalEntryKind = (typeof JOURNAL_ENTRY_KINDS)[number];

/** One line of a balanced entry: exactly one of debit and credit is positive. */
export class JournalLineV1 {
  /** Ledger account, e.g. `source:<id>:available`, `program:<id>:committed`. */
  @Text(200)
  account!: string;

  @FenAmount()
  debitFen!: number;

  @FenAmount()
  creditFen!: number;
}

/** The part of an entry's amount that came from one funding source. */
export class SourceShareV1 {
  @IsUUID()
  sourceId!: string;

  @FenAmount()
  amountFen!: number;
}

/**
 * A balanced double-entry journal entry was posted (Σ debit = Σ credit = `amountFen`). Analytics
 * sums `amountFen` of `allocation` (allocated) and of `disbursement` + `subsidy_payment`
 * (disbursed) by `divisionCode` (the program's region), `postedAt` (Asia/Shanghai day), program
 * and source (`sourceShares`, Σ = `amountFen`). `entryId` is unique, so redelivery can be ignored.
 */
export class FundsJournalPostedV1 {
  @IsUUID()
  entryId!: string;

  @OneOf(JOURNAL_ENTRY_KINDS)
  kind!: JournalEntryKind;

  @IsUUID()
  programId!: string;

  /** The region the program serves (its division code), where the money counts. */
  @DivisionCode()
  divisionCode!: string;

  @FenAmount({ min: 1 })
  amountFen!: number;

  @NestedArray(() => SourceShareV1, { minSize: 1, maxSize: 100 })
  sourceShares!: SourceShareV1[];

  @IsOptional()
  @IsUUID()
  contractId!: string | null;

  @IsOptional()
  @IsUUID()
  trancheId!: string | null;

  @IsOptional()
  @IsUUID()
  subsidyApplicationId!: string | null;

  /** The enterprise paid (contractor or subsidy applicant), when money left the program. */
  @IsOptional()
  @IsUUID()
  payeeEnterpriseId!: string | null;

  @NestedArray(() => JournalLineV1, { minSize: 2, maxSize: 20 })
  lines!: JournalLineV1[];

  /** Value date of the entry, with an explicit offset. */
  @IsISO8601({ strict: true })
  postedAt!: string;

  @OptionalText(500)
  memo!: string | null;
}

export const FUNDS_ENTITY_TYPES = [
  'source',
  'program',
  'contract',
  'tranche',
  'audit',
  'subsidy_policy',
  'subsidy_application',
] as const;
export type FundsEntityType = (typeof FUNDS_ENTITY_TYPES)[number];

/**
 * A funds entity was created or changed state (contract signed, tranche condition met / paid,
 * audit passed or findings open, subsidy application approved or rejected). Carries the new
 * status and a small summary for subscribers; money itself moves only in journal entries.
 */
export class FundsStateChangedV1 extends SnapshotEventV1 {
  @OneOf(FUNDS_ENTITY_TYPES)
  entityType!: FundsEntityType;

  @IsUUID()
  entityId!: string;

  /** The program the entity belongs to; null only for a funding source. */
  @IsOptional()
  @IsUUID()
  programId!: string | null;

  @IsOptional()
  @DivisionCode()
  divisionCode!: string | null;

  @Text(50)
  status!: string;

  /** Entity-specific summary (name, amountFen, reasons…), never money movements. */
  @IsObject()
  summary!: Record<string, unknown>;
}

export const FundsJournalPosted = defineEvent<FundsJournalPostedV1>({
  type: 'cn.ecomlog.funds.journal-posted.v1',
  topic: TOPICS.fundsLedger,
  payload: FundsJournalPostedV1,
  key: (entry) => entry.programId,
  subject: (entry) => `programs/${entry.programId}/journal/${entry.entryId}`,
  summary:
    'A balanced double-entry journal entry (allocation, contract commitment, tranche disbursement or subsidy payment) was posted.',
  example: {
    entryId: '5d0f3c3e-8a51-4f7e-9c2b-1a6e4d7b9f10',
    kind: 'disbursement',
    programId: '0a8e7c52-1d3b-4e6f-8a9c-2b7d5e1f3c40',
    divisionCode: '370982000000',
    amountFen: 180000000,
    sourceShares: [{ sourceId: '9e3b1f7a-2c4d-4b8e-a6f1-7d2c9e5b3a81', amountFen: 180000000 }],
    contractId: '3c7a9e1b-5d2f-4a8c-b6e0-1f9d7c3b5a22',
    trancheId: '7b2e4d6f-8a1c-4e3b-9d5f-0c2a6e8b4d13',
    subsidyApplicationId: null,
    payeeEnterpriseId: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20',
    lines: [
      {
        account: 'contract:3c7a9e1b-5d2f-4a8c-b6e0-1f9d7c3b5a22:payable',
        debitFen: 180000000,
        creditFen: 0,
      },
      {
        account: 'program:0a8e7c52-1d3b-4e6f-8a9c-2b7d5e1f3c40:bank',
        debitFen: 0,
        creditFen: 180000000,
      },
    ],
    postedAt: '2024-08-01T10:00:00+08:00',
    memo: '第一笔拨付（签约 30%）',
  },
});

export const FundsStateChanged = defineEvent<FundsStateChangedV1>({
  type: 'cn.ecomlog.funds.state-changed.v1',
  topic: TOPICS.fundsLedger,
  payload: FundsStateChangedV1,
  key: (change) => change.programId ?? change.entityId,
  subject: (change) => `${change.entityType}s/${change.entityId}`,
  summary:
    'A funding source, program, contract, tranche, audit or subsidy application was created or changed state.',
  example: {
    entityType: 'tranche',
    entityId: '7b2e4d6f-8a1c-4e3b-9d5f-0c2a6e8b4d13',
    programId: '0a8e7c52-1d3b-4e6f-8a9c-2b7d5e1f3c40',
    divisionCode: '370982000000',
    status: 'paid',
    version: 3,
    changedAt: '2024-08-01T10:00:00+08:00',
    summary: {
      contractId: '3c7a9e1b-5d2f-4a8c-b6e0-1f9d7c3b5a22',
      sequence: 1,
      amountFen: 180000000,
    },
  },
});
