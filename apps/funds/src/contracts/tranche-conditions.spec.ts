import { evaluateCondition, type ConditionFacts } from './tranche-conditions';

const facts = (overrides: Partial<ConditionFacts> = {}): ConditionFacts => ({
  today: '2021-02-26',
  signedOn: '2020-03-20',
  passedAudits: 0,
  auditOrdinal: 0,
  openFindings: [],
  milestone: null,
  manualApproval: null,
  ...overrides,
});

describe('tranche conditions', () => {
  it('on_signing is met once the contract is signed', () => {
    expect(evaluateCondition('on_signing', facts())).toEqual({
      met: true,
      reasons: ['contract signed on 2020-03-20'],
    });
    expect(evaluateCondition('on_signing', facts({ signedOn: '2021-03-01' })).met).toBe(false);
  });

  it('the n-th audit_passed tranche needs n passed audits', () => {
    const second = evaluateCondition('audit_passed', facts({ auditOrdinal: 1, passedAudits: 0 }));
    expect(second).toEqual({
      met: false,
      reasons: ['needs 1 passed audit of this contract; only 0 recorded'],
    });
    expect(evaluateCondition('audit_passed', facts({ auditOrdinal: 1, passedAudits: 1 })).met).toBe(
      true,
    );
    expect(evaluateCondition('audit_passed', facts({ auditOrdinal: 2, passedAudits: 1 })).met).toBe(
      false,
    );
  });

  it('milestone counts operating sites of the contractor against the target', () => {
    const milestone = {
      siteKind: 'town_service_station',
      minimum: 20,
      operating: 12,
      regionPrefix: '370982',
    };
    const notYet = evaluateCondition('milestone', facts({ milestone }));
    expect(notYet.met).toBe(false);
    expect(notYet.reasons[0]).toBe(
      'only 12 town_service_station operated by the contractor in 370982 operating on 2021-02-26; needs ≥ 20',
    );
    expect(
      evaluateCondition('milestone', facts({ milestone: { ...milestone, operating: 20 } })).met,
    ).toBe(true);
  });

  it('manual_approval waits for a recorded approval', () => {
    expect(evaluateCondition('manual_approval', facts()).met).toBe(false);
    expect(
      evaluateCondition(
        'manual_approval',
        facts({ manualApproval: { by: 'official-2', at: '2021-02-26T02:00:00.000Z' } }),
      ).met,
    ).toBe(true);
  });

  it('open audit findings block every condition, with the finding in the reasons', () => {
    const blocked = evaluateCondition(
      'on_signing',
      facts({
        openFindings: [{ auditId: 'a1', auditedOn: '2021-01-10', description: '扶贫台账不完善' }],
      }),
    );
    expect(blocked.met).toBe(false);
    expect(blocked.reasons[1]).toBe(
      'blocked by an open finding of the audit of 2021-01-10 (a1): 扶贫台账不完善',
    );
  });
});
