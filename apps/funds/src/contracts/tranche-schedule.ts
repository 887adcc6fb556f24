import type { FieldProblem } from '@ecomlog/contracts';
import { yuan } from '../shared/money';

export const TRANCHE_CONDITION_KINDS = [
  'on_signing',
  'audit_passed',
  'milestone',
  'manual_approval',
] as const;
export type TrancheConditionKind = (typeof TRANCHE_CONDITION_KINDS)[number];

export interface TrancheShare {
  /** Up to two decimals, e.g. 30 or 33.33. */
  percent?: number | null;
  amountFen?: number | null;
}

export interface ScheduledAmount {
  amountFen: number;
  /** Percent × 100 when the tranche was given as a percentage. */
  percentBasisPoints: number | null;
}

export type ScheduleResult =
  { ok: true; amounts: ScheduledAmount[] } | { ok: false; problems: FieldProblem[] };

/**
 * Turns a tranche schedule into amounts of fen that sum exactly to the contract amount. Each
 * tranche gives either a percentage (two decimals at most) or an amount. A percentage tranche gets
 * ⌊contract × percent / 100⌋ fen; when the percentages and amounts add up to exactly the contract
 * amount, the fen lost to rounding go to the last percentage tranche (so 3 × 33.33% + 0.01% of
 * ¥1 is 33 + 33 + 33 + 1 fen). Anything that does not add up exactly is refused with the figures.
 */
export function scheduleAmounts(
  contractAmountFen: number,
  tranches: TrancheShare[],
): ScheduleResult {
  const problems: FieldProblem[] = [];
  if (tranches.length === 0) {
    return {
      ok: false,
      problems: [{ path: 'tranches', message: 'a contract needs at least one tranche' }],
    };
  }
  const parsed = tranches.map((tranche, index): ScheduledAmount | null => {
    const hasPercent = tranche.percent !== undefined && tranche.percent !== null;
    const hasAmount = tranche.amountFen !== undefined && tranche.amountFen !== null;
    if (hasPercent === hasAmount) {
      problems.push({
        path: `tranches[${index}]`,
        message: 'give exactly one of percent and amountFen',
      });
      return null;
    }
    if (hasAmount) {
      const amount = tranche.amountFen as number;
      if (!Number.isSafeInteger(amount) || amount <= 0) {
        problems.push({
          path: `tranches[${index}].amountFen`,
          message: 'must be a positive integer of fen',
        });
        return null;
      }
      return { amountFen: amount, percentBasisPoints: null };
    }
    const percent = tranche.percent as number;
    const basisPoints = Math.round(percent * 100);
    if (!(percent > 0 && percent <= 100) || Math.abs(basisPoints - percent * 100) > 1e-6) {
      problems.push({
        path: `tranches[${index}].percent`,
        message: 'must be more than 0 and at most 100, with at most two decimals',
      });
      return null;
    }
    const amount = Number((BigInt(contractAmountFen) * BigInt(basisPoints)) / 10000n);
    return { amountFen: amount, percentBasisPoints: basisPoints };
  });
  if (problems.length > 0) return { ok: false, problems };
  const amounts = parsed as ScheduledAmount[];
  // Exact (rational) total: Σ amounts + contract × Σ basis points / 10000 = contract.
  const fixed = amounts
    .filter((a) => a.percentBasisPoints === null)
    .reduce((sum, a) => sum + BigInt(a.amountFen), 0n);
  const basisPoints = amounts.reduce((sum, a) => sum + BigInt(a.percentBasisPoints ?? 0), 0n);
  const contract = BigInt(contractAmountFen);
  if (fixed * 10000n + contract * basisPoints !== contract * 10000n) {
    const total = amounts.reduce((sum, a) => sum + a.amountFen, 0);
    return {
      ok: false,
      problems: [
        {
          path: 'tranches',
          message: `the tranches add up to ${yuan(total)} (${Number(basisPoints) / 100}% plus ${yuan(Number(fixed))} in amounts) but the contract amount is ${yuan(contractAmountFen)}; they must sum exactly to it`,
        },
      ],
    };
  }
  const total = amounts.reduce((sum, a) => sum + a.amountFen, 0);
  const lastPercent = amounts.map((a) => a.percentBasisPoints !== null).lastIndexOf(true);
  if (total !== contractAmountFen && lastPercent >= 0) {
    amounts[lastPercent] = {
      ...amounts[lastPercent],
      amountFen: amounts[lastPercent].amountFen + (contractAmountFen - total),
    };
  }
  const zero = amounts.findIndex((a) => a.amountFen <= 0);
  if (zero >= 0) {
    return {
      ok: false,
      problems: [{ path: `tranches[${zero}].percent`, message: 'comes to less than one fen' }],
    };
  }
  return { ok: true, amounts };
}
