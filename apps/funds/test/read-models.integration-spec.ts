import { randomUUID } from 'node:crypto';
import { uniqueSuffix, waitFor } from '@ecomlog/testing';
import { indicatorDefinitionOn } from '../src/read-models/indicator-read-model.consumer';
import {
  createTestTopic,
  enterprise,
  fundedProgram,
  salesCell,
  site,
  startFundsApp,
  type FundsTestApp,
  type HttpAgent,
} from './funds-harness';

interface TrancheBody {
  id: string;
  conditionMet: boolean;
  reasons: string[];
}

interface ApplicationBody {
  id: string;
  status: string;
  type?: string;
  detail?: string;
  ruleResults: { rule: string; passed: boolean; reason: string }[];
}

/**
 * Milestones decided from the sites read model (sites.sites.v1) and subsidy eligibility from the
 * registry (registry.enterprises.v1) and analytics (analytics.indicators.v1) read models, fed
 * through the real topics.
 */
describe('milestones and subsidies on the read models - /v1/contracts/:id, /v1/subsidy-applications', () => {
  let funds: FundsTestApp;
  let filer: HttpAgent;
  let decider: HttpAgent;
  let programId: string;
  const contractor = enterprise({ name: '里程碑承办企业', kinds: ['service_contractor'] });
  const retailer = enterprise({
    name: '新泰黑玉米网店',
    kinds: ['ecommerce_retailer', 'cooperative'],
  });
  const blacklisted = enterprise({
    name: '失信网店',
    kinds: ['ecommerce_retailer'],
    creditStatus: 'blacklisted',
    blacklistPeriods: [{ from: '2024-01-01', to: null, reason: '未按期公示年度报告' }],
  });

  let indicators: Awaited<ReturnType<typeof createTestTopic>>;

  beforeAll(async () => {
    indicators = await createTestTopic('funds.it-indicators');
    funds = await startFundsApp('readmodels', { INDICATORS_TOPIC: indicators.name });
    filer = funds.official(['commerce'], '370982', `filer-${uniqueSuffix()}`);
    decider = funds.official(['commerce'], '370982', `decider-${uniqueSuffix()}`);
    await funds.registerEnterprises([contractor, retailer, blacklisted]);
    ({ programId } = await fundedProgram(filer, '电商奖补与站点建设', {
      name: '县级配套资金',
      amountFen: 100_000_000,
    }));
  });

  afterAll(async () => {
    await funds?.close();
    await indicators?.drop();
  });

  it('decides a milestone from the operating sites of the contractor in the program region, as of today', async () => {
    const created = await filer.post('/v1/contracts').send({
      programId,
      contractorEnterpriseId: contractor.id,
      title: `镇级服务站建设 ${uniqueSuffix()}`,
      amountFen: 10_000_000,
      tasks: [
        { description: '2个镇级电商服务站运营', siteKind: 'town_service_station', targetCount: 2 },
      ],
      tranches: [
        { percent: 50, condition: { kind: 'on_signing' } },
        {
          percent: 50,
          condition: { kind: 'milestone', siteKind: 'town_service_station', minimumOperating: 2 },
        },
      ],
    });
    expect(created.status).toBe(201);
    const contractId = (created.body as { id: string }).id;
    const second = randomUUID();
    await funds.registerSites([
      site(contractor.id, 'town_service_station', '370982101000', [
        { status: 'planned', effectiveFrom: '2023-01-01' },
        { status: 'operating', effectiveFrom: '2023-03-01' },
      ]),
      site(
        contractor.id,
        'town_service_station',
        '370982102000',
        [{ status: 'planned', effectiveFrom: '2023-01-01' }],
        1,
        second,
      ),
      // Not counted: another operator, another county, another kind, operating only in the future.
      site(randomUUID(), 'town_service_station', '370982103000', [
        { status: 'operating', effectiveFrom: '2023-01-01' },
      ]),
      site(contractor.id, 'town_service_station', '370983101000', [
        { status: 'operating', effectiveFrom: '2023-01-01' },
      ]),
      site(contractor.id, 'village_service_point', '370982101201', [
        { status: 'operating', effectiveFrom: '2023-01-01' },
      ]),
      site(contractor.id, 'town_service_station', '370982104000', [
        { status: 'operating', effectiveFrom: '2099-01-01' },
      ]),
    ]);
    const before = await filer.get(`/v1/contracts/${contractId}`);
    const milestone = (before.body as { tranches: TrancheBody[] }).tranches[1];
    expect(milestone.conditionMet).toBe(false);
    expect(milestone.reasons[0]).toMatch(
      /^only 1 town_service_station operated by the contractor in 370982 operating on \d{4}-\d{2}-\d{2}; needs ≥ 2$/,
    );
    const refused = await filer
      .post(`/v1/tranches/${milestone.id}/disbursement-requests`)
      .set('idempotency-key', `ms-${randomUUID()}`)
      .send({});
    expect(refused.status).toBe(409);

    await funds.registerSites([
      site(
        contractor.id,
        'town_service_station',
        '370982102000',
        [
          { status: 'planned', effectiveFrom: '2023-01-01' },
          { status: 'operating', effectiveFrom: '2024-01-01' },
        ],
        2,
        second,
      ),
    ]);
    const after = await filer.get(`/v1/contracts/${contractId}`);
    expect((after.body as { tranches: TrancheBody[] }).tranches[1]).toMatchObject({
      conditionMet: true,
    });
    const requested = await filer
      .post(`/v1/tranches/${milestone.id}/disbursement-requests`)
      .set('idempotency-key', `ms-${randomUUID()}`)
      .send({});
    expect(requested.status).toBe(201);
    const paid = await decider
      .post(`/v1/disbursement-requests/${(requested.body as { id: string }).id}/approve`)
      .send({});
    expect(paid.status).toBe(200);
  });

  it('refuses a contract with an enterprise that is not a service contractor', async () => {
    const refused = await filer.post('/v1/contracts').send({
      programId,
      contractorEnterpriseId: retailer.id,
      title: `非承办企业 ${uniqueSuffix()}`,
      amountFen: 1_000,
      tranches: [{ percent: 100, condition: { kind: 'on_signing' } }],
    });
    expect(refused.status).toBe(422);
    expect((refused.body as { type: string }).type).toMatch(/contractor-not-eligible$/);
  });

  it('evaluates every subsidy rule, waits for a sales figure, and pays an approved application once through the ledger', async () => {
    const policy = await filer.post('/v1/subsidy-policies').send({
      programId,
      name: `网络零售奖补 ${uniqueSuffix()}`,
      maxAmountFen: 5_000_000,
      eligibleKinds: ['ecommerce_retailer'],
      salesThreshold: { minimumFen: 800_000_000, period: '2023' },
    });
    expect(policy.status).toBe(201);
    const policyId = (policy.body as { id: string }).id;
    const filed = await filer
      .post('/v1/subsidy-applications')
      .send({ policyId, enterpriseId: retailer.id, amountFen: 3_000_000 });
    expect(filed.status).toBe(201);
    const application = filed.body as ApplicationBody;
    expect(application.status).toBe('ineligible');
    expect(application.ruleResults.map((r) => [r.rule, r.passed])).toEqual([
      ['registered_in_jurisdiction', true],
      ['active_on_application_date', true],
      ['taxed_locally', true],
      ['independent_legal_entity', true],
      ['eligible_kind', true],
      ['not_blacklisted', true],
      ['sales_threshold', false],
    ]);
    expect(application.ruleResults[6].reason).toMatch(
      /^no retail_sales figure yet for period 2023/,
    );

    // Analytics publishes the enterprise's cells; an unscoped total and an older version are ignored.
    await funds.publish(indicatorDefinitionOn(indicators.name), [
      salesCell(retailer.id, '370982000000', '2023', 5_000_000_000, 7, null),
      salesCell(retailer.id, '370982100000', '2023', 900_000_000, 2),
    ]);
    await funds.publish(indicatorDefinitionOn(indicators.name), [
      salesCell(retailer.id, '370982100000', '2023', 100, 1),
    ]);
    await waitFor(
      'the enterprise sales cell',
      async () => {
        const rows = await funds.dataSource.query<{ version: number }[]>(
          'SELECT version FROM known_indicator_cell WHERE enterprise_id = $1',
          [retailer.id],
        );
        return rows.length === 1 && rows[0].version === 2;
      },
      { timeoutMs: 200_000 },
    );
    // Give the stale version 1 time to arrive; it must not overwrite version 2.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const evaluated = await filer
      .post(`/v1/subsidy-applications/${application.id}/evaluate`)
      .send({});
    expect(evaluated.status).toBe(200);
    const eligible = evaluated.body as ApplicationBody;
    expect(eligible.status).toBe('eligible');
    expect(eligible.ruleResults[6].reason).toBe(
      'retail_sales 2023 = ¥9,000,000.00 (cell 370982100000, version 2); needs ≥ ¥8,000,000.00',
    );

    const own = await filer.post(`/v1/subsidy-applications/${application.id}/approve`).send({});
    expect(own.status).toBe(403);
    const approved = await decider
      .post(`/v1/subsidy-applications/${application.id}/approve`)
      .send({});
    expect((approved.body as ApplicationBody).status).toBe('approved');
    const paid = await filer
      .post(`/v1/subsidy-applications/${application.id}/pay`)
      .set('idempotency-key', `pay-${randomUUID()}`)
      .send({});
    expect(paid.status).toBe(200);
    expect((paid.body as ApplicationBody).status).toBe('paid');
    const again = await decider.post(`/v1/subsidy-applications/${application.id}/pay`).send({});
    expect(again.status).toBe(409);
    const entries = await funds.dataSource.query<
      { amount_fen: string; payee_enterprise_id: string }[]
    >(
      `SELECT amount_fen, payee_enterprise_id FROM journal_entry WHERE subsidy_application_id = $1`,
      [application.id],
    );
    expect(entries).toEqual([{ amount_fen: '3000000', payee_enterprise_id: retailer.id }]);
    const program = (await filer.get(`/v1/programs/${programId}`)).body as { disbursedFen: number };
    expect(program.disbursedFen).toBe(5_000_000 + 3_000_000);
  });

  it('records a blacklisting on the application date, and an ineligible application can only be rejected', async () => {
    const [policy] = (await filer.get(`/v1/subsidy-policies?programId=${programId}`)).body
      .items as { id: string }[];
    const filed = await filer.post('/v1/subsidy-applications').send({
      policyId: policy.id,
      enterpriseId: blacklisted.id,
      amountFen: 1_000_000,
      applicationDate: '2024-03-01',
    });
    const application = filed.body as ApplicationBody;
    expect(application.ruleResults.find((r) => r.rule === 'not_blacklisted')).toEqual({
      rule: 'not_blacklisted',
      passed: false,
      reason: 'blacklisted (失信) from 2024-01-01: 未按期公示年度报告',
    });
    const approve = await decider
      .post(`/v1/subsidy-applications/${application.id}/approve`)
      .send({});
    expect(approve.status).toBe(409);
    expect((approve.body as ApplicationBody).type).toMatch(/application-not-eligible$/);
    const rejected = await decider
      .post(`/v1/subsidy-applications/${application.id}/reject`)
      .send({ reason: '失信企业不予奖补' });
    expect((rejected.body as ApplicationBody).status).toBe('rejected');
  });
});
