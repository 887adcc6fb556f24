import { randomUUID } from 'node:crypto';
import {
  EnterpriseChanged,
  FundsJournalPosted,
  OrderFact,
  SiteChanged,
  TrainingHeld,
  type DivisionChangedV1,
  type EnterpriseChangedV1,
  type FundsJournalPostedV1,
  type OrderFactV1,
  type ParcelStatusChangedV1,
  type SiteChangedV1,
  type SiteKind,
  type TrainingHeldV1,
} from '@ecomlog/contracts';
import { divisionState } from '@ecomlog/testing';

export {
  DivisionChanged,
  EnterpriseChanged,
  FundsJournalPosted,
  OrderFact,
  ParcelStatusChanged,
  SiteChanged,
  TrainingHeld,
} from '@ecomlog/contracts';

/**
 * A small synthetic region under a random 9x province code (no real division starts with 9), so
 * concurrent test runs on the shared topics do not meet: province P, city C, counties K and K2,
 * towns T1 and T2 of K, villages V11 and V12 of T1 and V21 of T2.
 */
export function syntheticRegion() {
  const p = `9${1 + Math.floor(Math.random() * 9)}`;
  const c = `${p}${String(10 + Math.floor(Math.random() * 90))}`;
  const k = `${c}${String(10 + Math.floor(Math.random() * 45))}`;
  const k2 = `${c}${String(55 + Math.floor(Math.random() * 45))}`;
  return {
    P: `${p}0000000000`,
    C: `${c}00000000`,
    K: `${k}000000`,
    K2: `${k2}000000`,
    T1: `${k}001000`,
    T2: `${k}002000`,
    V11: `${k}001001`,
    V12: `${k}001002`,
    V21: `${k}002001`,
  };
}
export type Region = ReturnType<typeof syntheticRegion>;

export function divisionsOf(r: Region): DivisionChangedV1[] {
  const d = divisionState;
  return [
    d(r.P, '测试省', 'province', null),
    d(r.C, '测试市', 'city', r.P),
    d(r.K, '测试县', 'county', r.C),
    d(r.K2, '邻县', 'county', r.C),
    d(r.T1, '一镇', 'town', r.K),
    d(r.T2, '二镇', 'town', r.K),
    d(r.V11, '一村', 'village', r.T1),
    d(r.V12, '二村', 'village', r.T1),
    d(r.V21, '三村', 'village', r.T2),
  ];
}

export function site(
  kind: SiteKind,
  divisionCode: string,
  carriers: string[],
  statusHistory: {
    status: SiteChangedV1['statusHistory'][number]['status'];
    effectiveFrom: string;
  }[],
): SiteChangedV1 {
  return {
    ...SiteChanged.example,
    id: randomUUID(),
    kind,
    divisionCode,
    carriers,
    statusHistory: statusHistory.map((entry) => ({ ...entry, note: null })),
    version: 1,
  };
}

/** A site that has been operating since `since`, and nothing else. */
export function operatingSite(
  kind: SiteKind,
  divisionCode: string,
  carriers: string[],
  since: string,
): SiteChangedV1 {
  return site(kind, divisionCode, carriers, [{ status: 'operating', effectiveFrom: since }]);
}

export function enterprise(
  divisionCode: string,
  registeredOn: string,
  statusHistory: EnterpriseChangedV1['statusHistory'],
): EnterpriseChangedV1 {
  return {
    ...EnterpriseChanged.example,
    id: randomUUID(),
    kinds: ['ecommerce_retailer'],
    registeredDivisionCode: divisionCode,
    registeredOn,
    status: statusHistory[statusHistory.length - 1].status,
    statusHistory,
    blacklistPeriods: [],
    version: 1,
  };
}

export function orderFact(
  kind: 'paid' | 'refunded',
  fields: Pick<
    OrderFactV1,
    'platform' | 'at' | 'sellerDivisionCode' | 'amountFen' | 'agriculturalAmountFen'
  > &
    Partial<OrderFactV1>,
): OrderFactV1 {
  const orderNo = fields.orderNo ?? randomUUID().slice(0, 12);
  return {
    ...OrderFact.example,
    factId: `${fields.platform}:${orderNo}:${kind === 'paid' ? 'paid' : `refund:${fields.amountFen}`}`,
    kind,
    orderNo,
    revision: 1,
    buyerDivisionCode: null,
    shopId: null,
    enterpriseId: null,
    sellerCreditCode: null,
    categories: [],
    waybills: [],
    ...fields,
  };
}

export function parcelState(
  fields: Partial<ParcelStatusChangedV1> &
    Pick<ParcelStatusChangedV1, 'carrier' | 'waybillNo' | 'status' | 'statusAt' | 'version'>,
): ParcelStatusChangedV1 {
  return {
    previousStatus: null,
    pickedUpAt: null,
    deliveredAt: null,
    originDivisionCode: null,
    destinationDivisionCode: null,
    jointlyDistributed: false,
    siteId: null,
    ...fields,
  };
}

export function training(
  siteId: string,
  divisionCode: string,
  heldOn: string,
  attendees: number,
): TrainingHeldV1 {
  return {
    ...TrainingHeld.example,
    id: randomUUID(),
    siteId,
    divisionCode,
    heldOn,
    attendees,
    registeredPoorAttendees: 0,
  };
}

export function journal(
  kind: FundsJournalPostedV1['kind'],
  programId: string,
  sourceId: string,
  divisionCode: string,
  amountFen: number,
  postedAt: string,
): FundsJournalPostedV1 {
  return {
    ...FundsJournalPosted.example,
    entryId: randomUUID(),
    kind,
    programId,
    divisionCode,
    amountFen,
    sourceShares: [{ sourceId, amountFen }],
    contractId: null,
    trancheId: null,
    subsidyApplicationId: null,
    payeeEnterpriseId: null,
    lines: [
      { account: `a:${programId}`, debitFen: amountFen, creditFen: 0 },
      { account: `b:${sourceId}`, debitFen: 0, creditFen: amountFen },
    ],
    postedAt,
    memo: null,
  };
}

/** A program's allocation from one source to a division, then a disbursement of part of it. */
export function allocatedThenDisbursed(
  programId: string,
  sourceId: string,
  divisionCode: string,
  allocated: { amountFen: number; postedAt: string },
  disbursed: { amountFen: number; postedAt: string },
): FundsJournalPostedV1[] {
  return [
    journal(
      'allocation',
      programId,
      sourceId,
      divisionCode,
      allocated.amountFen,
      allocated.postedAt,
    ),
    journal(
      'disbursement',
      programId,
      sourceId,
      divisionCode,
      disbursed.amountFen,
      disbursed.postedAt,
    ),
  ];
}
