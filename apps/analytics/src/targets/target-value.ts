export interface TargetDefinition {
  indicator: string;
  divisionCode: string;
  period: string;
  /** A fixed target… */
  value: number | null;
  /** …or a growth path: baseValue × (1 + annualGrowth)^(years from basePeriod to period). */
  growth: { baseValue: number; basePeriod: string; annualGrowth: number } | null;
}

/** The target value a definition sets for its period (growth paths compounded by whole years). */
export function targetValue(target: TargetDefinition): number {
  if (target.value !== null || target.growth === null) return target.value ?? 0;
  const { baseValue, basePeriod, annualGrowth } = target.growth;
  const years = Number(target.period.slice(0, 4)) - Number(basePeriod.slice(0, 4));
  return baseValue * (1 + annualGrowth) ** years;
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
