import type { IndicatorUnit } from '../indicators/indicator-catalogue';

export interface TargetDefinition {
  indicator: string;
  divisionCode: string;
  period: string;
  /** A fixed target… */
  value: number | null;
  /** …or a growth path: baseValue × (1 + annualGrowth)^(years from basePeriod to period). */
  growth: { baseValue: number; basePeriod: string; annualGrowth: number } | null;
}

/** Units counted in whole numbers: money in fen, parcels, enterprises, sites. */
export const WHOLE_UNITS: ReadonlySet<IndicatorUnit> = new Set(['fen', 'count']);

/**
 * The target value a definition sets for its period: growth paths compounded by whole years.
 * In a whole unit (fen, count) the compounded value is rounded to the nearest whole unit, halves
 * up (all values are ≥ 0): ¥1,200,000,000.00 growing 12 % a year for one year is exactly
 * 134,400,000,000 fen, not 134400000000.00002. Hours and ratios keep their fraction.
 */
export function targetValue(target: TargetDefinition, unit: IndicatorUnit): number {
  if (target.value !== null || target.growth === null) return target.value ?? 0;
  const { baseValue, basePeriod, annualGrowth } = target.growth;
  const years = Number(target.period.slice(0, 4)) - Number(basePeriod.slice(0, 4));
  const compounded = baseValue * (1 + annualGrowth) ** years;
  return WHOLE_UNITS.has(unit) ? Math.round(compounded) : compounded;
}

export interface Attainment {
  value: number;
  attainment: number | null;
  /** Flows are judged pro rata to the elapsed part of the period; stocks and ratios in full. */
  onTrack: boolean | null;
  expectedByNow: number;
}

export function attainmentOf(
  actual: number | null,
  target: number,
  elapsed: number,
  proRata: boolean,
): Attainment {
  const expectedByNow = proRata ? target * elapsed : target;
  const attainment = actual === null || target === 0 ? null : actual / target;
  return {
    value: target,
    attainment,
    onTrack: actual === null ? null : actual >= expectedByNow,
    expectedByNow,
  };
}
