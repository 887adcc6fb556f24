import type { EnterpriseKind } from '@ecomlog/contracts';
import { yuan } from '../shared/money';
import { prefixOfCode } from '@ecomlog/kernel';

/** The rules of a 奖补 policy, stored with it. */
export interface SubsidyRules {
  /** Registered in this region (12-digit code; its prefix is matched). */
  jurisdictionDivisionCode: string;
  requireTaxedLocally: boolean;
  requireIndependentLegalEntity: boolean;
  /** The enterprise holds at least one of these kinds. */
  eligibleKinds: EnterpriseKind[];
  /** Optional: the enterprise's own retail_sales from analytics must reach this. */
  salesThreshold: {
    minimumFen: number;
    /** YYYY or YYYYMM; null: the calendar year before the application date. */
    period: string | null;
  } | null;
}

export interface EnterpriseFacts {
  id: string;
  name: string;
  kinds: string[];
  registeredDivisionCode: string;
  statusHistory: { status: string; effectiveFrom: string }[];
  taxRegisteredLocally: boolean;
  independentLegalEntity: boolean;
  blacklistPeriods: { from: string; to: string | null; reason: string }[];
}

export interface SalesFigure {
  period: string;
  divisionCode: string;
  valueFen: number | null;
  version: number;
}

export const ELIGIBILITY_RULES = [
  'registered_in_jurisdiction',
  'active_on_application_date',
  'taxed_locally',
  'independent_legal_entity',
  'eligible_kind',
  'not_blacklisted',
  'sales_threshold',
] as const;
export type EligibilityRule = (typeof ELIGIBILITY_RULES)[number];

export interface RuleResult {
  rule: EligibilityRule;
  passed: boolean;
  reason: string;
}

/** The period a sales threshold is checked on: the policy's, else the year before applying. */
export function salesPeriodFor(rules: SubsidyRules, applicationDate: string): string | null {
  if (!rules.salesThreshold) return null;
  return rules.salesThreshold.period ?? String(Number(applicationDate.slice(0, 4)) - 1);
}

/** The status of a dated history on `day` (the latest entry on or before it), or null. */
export function statusOn(
  history: { status: string; effectiveFrom: string }[],
  day: string,
): string | null {
  let status: string | null = null;
  for (const entry of [...history].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))) {
    if (entry.effectiveFrom <= day) status = entry.status;
  }
  return status;
}

/**
 * Every rule's result for one enterprise on the application date (every rule is evaluated and
 * recorded, not only up to the first failure). An enterprise the registry read model does not
 * know fails every rule with that reason.
 */
export function evaluateEligibility(
  rules: SubsidyRules,
  enterprise: EnterpriseFacts | null,
  applicationDate: string,
  sales: SalesFigure | null,
): RuleResult[] {
  const applicable = ELIGIBILITY_RULES.filter(
    (rule) => rule !== 'sales_threshold' || rules.salesThreshold,
  );
  if (!enterprise) {
    return applicable.map((rule) => ({
      rule,
      passed: false,
      reason: 'enterprise not in the registry read model (registry.enterprises.v1)',
    }));
  }
  const region = prefixOfCode(rules.jurisdictionDivisionCode);
  const results: RuleResult[] = [];
  const inRegion = enterprise.registeredDivisionCode.startsWith(region);
  results.push({
    rule: 'registered_in_jurisdiction',
    passed: inRegion,
    reason: `registered in ${enterprise.registeredDivisionCode}; jurisdiction ${region}`,
  });
  const status = statusOn(enterprise.statusHistory, applicationDate);
  results.push({
    rule: 'active_on_application_date',
    passed: status === 'active',
    reason: `status on ${applicationDate}: ${status ?? 'not yet registered'}`,
  });
  results.push({
    rule: 'taxed_locally',
    passed: !rules.requireTaxedLocally || enterprise.taxRegisteredLocally,
    reason: rules.requireTaxedLocally
      ? `taxRegisteredLocally is ${enterprise.taxRegisteredLocally}`
      : 'not required by this policy',
  });
  results.push({
    rule: 'independent_legal_entity',
    passed: !rules.requireIndependentLegalEntity || enterprise.independentLegalEntity,
    reason: rules.requireIndependentLegalEntity
      ? `independentLegalEntity is ${enterprise.independentLegalEntity}`
      : 'not required by this policy',
  });
  const matching = enterprise.kinds.filter((kind) =>
    (rules.eligibleKinds as string[]).includes(kind),
  );
  results.push({
    rule: 'eligible_kind',
    passed: matching.length > 0,
    reason:
      matching.length > 0
        ? `holds ${matching.join(', ')}`
        : `holds ${enterprise.kinds.join(', ')}; the policy needs one of ${rules.eligibleKinds.join(', ')}`,
  });
  const listing = enterprise.blacklistPeriods.find(
    (period) =>
      period.from <= applicationDate && (period.to === null || applicationDate < period.to),
  );
  results.push({
    rule: 'not_blacklisted',
    passed: !listing,
    reason: listing
      ? `blacklisted (失信) from ${listing.from}${listing.to ? ` until ${listing.to}` : ''}: ${listing.reason}`
      : `not blacklisted on ${applicationDate}`,
  });
  if (rules.salesThreshold) {
    const period = salesPeriodFor(rules, applicationDate) as string;
    const minimum = rules.salesThreshold.minimumFen;
    if (!sales || sales.valueFen === null) {
      results.push({
        rule: 'sales_threshold',
        passed: false,
        reason: `no retail_sales figure yet for period ${period} (analytics.indicators.v1); needs ≥ ${yuan(minimum)}`,
      });
    } else {
      results.push({
        rule: 'sales_threshold',
        passed: sales.valueFen >= minimum,
        reason: `retail_sales ${period} = ${yuan(sales.valueFen)} (cell ${sales.divisionCode}, version ${sales.version}); needs ≥ ${yuan(minimum)}`,
      });
    }
  }
  return results;
}
