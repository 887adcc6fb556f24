import {
  evaluateEligibility,
  salesPeriodFor,
  type EnterpriseFacts,
  type SubsidyRules,
} from './eligibility';

const rules: SubsidyRules = {
  jurisdictionDivisionCode: '370982000000',
  requireTaxedLocally: true,
  requireIndependentLegalEntity: true,
  eligibleKinds: ['ecommerce_retailer'],
  salesThreshold: { minimumFen: 800_000_000, period: null },
};

const enterprise: EnterpriseFacts = {
  id: 'e1',
  name: '新泰青云购物中心有限公司',
  kinds: ['ecommerce_retailer', 'service_contractor'],
  registeredDivisionCode: '370982001000',
  statusHistory: [{ status: 'active', effectiveFrom: '2015-01-01' }],
  taxRegisteredLocally: true,
  independentLegalEntity: true,
  blacklistPeriods: [],
};

const sales = { period: '2023', divisionCode: '370982001000', valueFen: 900_000_000, version: 4 };

describe('subsidy eligibility', () => {
  it('checks the year before the application date unless the policy names a period', () => {
    expect(salesPeriodFor(rules, '2024-03-01')).toBe('2023');
    expect(
      salesPeriodFor(
        { ...rules, salesThreshold: { minimumFen: 1, period: '202312' } },
        '2024-03-01',
      ),
    ).toBe('202312');
    expect(salesPeriodFor({ ...rules, salesThreshold: null }, '2024-03-01')).toBeNull();
  });

  it('records every rule, all passing for a local, taxed, independent retailer above the threshold', () => {
    const results = evaluateEligibility(rules, enterprise, '2024-03-01', sales);
    expect(results.map((r) => [r.rule, r.passed])).toEqual([
      ['registered_in_jurisdiction', true],
      ['active_on_application_date', true],
      ['taxed_locally', true],
      ['independent_legal_entity', true],
      ['eligible_kind', true],
      ['not_blacklisted', true],
      ['sales_threshold', true],
    ]);
    expect(results[6].reason).toBe(
      'retail_sales 2023 = ¥9,000,000.00 (cell 370982001000, version 4); needs ≥ ¥8,000,000.00',
    );
  });

  it('fails each broken rule with its reason, and keeps evaluating the others', () => {
    const results = evaluateEligibility(
      rules,
      {
        ...enterprise,
        registeredDivisionCode: '640521100000',
        taxRegisteredLocally: false,
        kinds: ['courier'],
        blacklistPeriods: [{ from: '2024-01-01', to: null, reason: '未按期公示年度报告' }],
        statusHistory: [
          { status: 'active', effectiveFrom: '2015-01-01' },
          { status: 'suspended', effectiveFrom: '2024-02-01' },
        ],
      },
      '2024-03-01',
      null,
    );
    expect(results.filter((r) => !r.passed).map((r) => r.rule)).toEqual([
      'registered_in_jurisdiction',
      'active_on_application_date',
      'taxed_locally',
      'eligible_kind',
      'not_blacklisted',
      'sales_threshold',
    ]);
    expect(results.find((r) => r.rule === 'sales_threshold')?.reason).toMatch(
      /^no retail_sales figure yet for period 2023/,
    );
  });

  it('judges blacklisting on the application date ([from, to) periods)', () => {
    const listed = {
      ...enterprise,
      blacklistPeriods: [{ from: '2023-01-01', to: '2024-01-10', reason: 'x' }],
    };
    expect(evaluateEligibility(rules, listed, '2024-01-09', sales)[5].passed).toBe(false);
    expect(evaluateEligibility(rules, listed, '2024-01-10', sales)[5].passed).toBe(true);
  });

  it('fails every rule of an enterprise the registry does not know', () => {
    const results = evaluateEligibility(
      { ...rules, salesThreshold: null },
      null,
      '2024-03-01',
      null,
    );
    expect(results).toHaveLength(6);
    expect(results.every((r) => !r.passed && /not in the registry/.test(r.reason))).toBe(true);
  });
});
