import { randomUUID } from 'node:crypto';
import { uniqueSuffix, waitFor } from '@ecomlog/testing';
import {
  createSource,
  enterprise,
  fundedProgram,
  startFundsApp,
  type FundsTestApp,
  type HttpAgent,
} from './funds-harness';

/**
 * Seed 002 (新泰市, 2019 national e-commerce demonstration county): three contractors; at project
 * start 30% of each contract was paid, ¥4,500,000 in all (杞农 ¥1,800,000, 青云 ¥2,400,000,
 * 盛玥 ¥300,000); the next 30% only after an audit.
 */
describe('demonstration county funds (seed 002) - /v1/contracts, /v1/disbursement-requests', () => {
  let funds: FundsTestApp;
  let requester: HttpAgent;
  let approver: HttpAgent;
  let auditor: HttpAgent;
  const county = '370982';
  const contractors = [
    { name: '山东杞农电子商务有限公司', amountFen: 600_000_000, signing: 180_000_000 },
    { name: '新泰青云购物中心有限公司', amountFen: 800_000_000, signing: 240_000_000 },
    { name: '镇江盛玥商业信息咨询管理有限公司', amountFen: 100_000_000, signing: 30_000_000 },
  ].map((c) => ({ ...c, enterprise: enterprise({ name: c.name, kinds: ['service_contractor'] }) }));

  beforeAll(async () => {
    funds = await startFundsApp('demo');
    requester = funds.official(['commerce'], county, `commerce-a-${uniqueSuffix()}`);
    approver = funds.official(['commerce'], county, `commerce-b-${uniqueSuffix()}`);
    auditor = funds.official(['auditor'], county, `auditor-${uniqueSuffix()}`);
    await funds.registerEnterprises(contractors.map((c) => c.enterprise));
  });

  afterAll(async () => {
    await funds?.close();
  });

  async function pay(
    trancheId: string,
  ): Promise<{ status: number; body: { contract: { paidFen: number } } }> {
    const requested = await requester
      .post(`/v1/tranches/${trancheId}/disbursement-requests`)
      .set('idempotency-key', `pay-${randomUUID()}`)
      .send({});
    if (requested.status !== 201) return requested;
    return approver.post(`/v1/disbursement-requests/${requested.body.id}/approve`).send({});
  }

  it('pays exactly ¥1,800,000, ¥2,400,000 and ¥300,000 at signing, and the second 30% only after an audit passes', async () => {
    const { sourceId, programId } = await fundedProgram(requester, '2019年电子商务进农村综合示范', {
      name: '2019年中央财政电子商务进农村综合示范资金',
      level: 'central',
      budgetYear: 2019,
      amountFen: 1_500_000_000,
    });

    const contracts = [];
    for (const c of contractors) {
      const created = await requester.post('/v1/contracts').send({
        programId,
        contractorEnterpriseId: c.enterprise.id,
        title: `${c.name} 承办合同`,
        amountFen: c.amountFen,
        signedOn: '2020-03-20',
        tasks: [
          {
            description: '建设 20个镇级电商服务站',
            siteKind: 'town_service_station',
            targetCount: 20,
          },
        ],
        tranches: [
          { label: '签约拨付 30%', percent: 30, condition: { kind: 'on_signing' } },
          { label: '中期审计后 30%', percent: 30, condition: { kind: 'audit_passed' } },
          { label: '验收后 40%', percent: 40, condition: { kind: 'audit_passed' } },
        ],
      });
      expect(created.status).toBe(201);
      contracts.push(created.body);
    }

    const paid = [];
    for (const contract of contracts) {
      const result = await pay(contract.tranches[0].id);
      expect(result.status).toBe(200);
      paid.push(result.body.contract.paidFen);
    }
    expect(paid).toEqual([180_000_000, 240_000_000, 30_000_000]);

    const dashboard = await requester.get('/v1/programs');
    expect(dashboard.status).toBe(200);
    const [summary] = dashboard.body.items;
    expect(summary).toMatchObject({
      allocatedFen: 1_500_000_000,
      committedFen: 1_500_000_000,
      disbursedFen: 450_000_000,
      availableFen: 0,
      disbursementRate: 0.3,
    });
    const contractsOf = summary as { contracts: { tranches: { status: string }[] }[] };
    expect(contractsOf.contracts.map((c) => c.tranches.map((t) => t.status))).toEqual([
      ['paid', 'scheduled', 'scheduled'],
      ['paid', 'scheduled', 'scheduled'],
      ['paid', 'scheduled', 'scheduled'],
    ]);

    // The second 30% of 青云 is refused until an audit passes.
    const qingyun = contracts[1];
    const second = qingyun.tranches[1].id;
    const refused = await requester
      .post(`/v1/tranches/${second}/disbursement-requests`)
      .set('idempotency-key', `pay-${randomUUID()}`)
      .send({});
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/tranche-condition-not-met$/);
    expect(refused.body.detail).toMatch(/needs 1 passed audit of this contract; only 0 recorded/);

    // Only auditors audit.
    const byCommerce = await requester
      .post(`/v1/contracts/${qingyun.id}/audits`)
      .send({ outcome: 'passed' });
    expect(byCommerce.status).toBe(403);

    // An audit with findings blocks it until rectified (日常审计: 扶贫台账不完善).
    const withFindings = await auditor.post(`/v1/contracts/${qingyun.id}/audits`).send({
      outcome: 'findings',
      summary: '日常审计',
      findings: [{ description: '扶贫台账不完善' }],
    });
    expect(withFindings.status).toBe(201);
    const view = await requester.get(`/v1/contracts/${qingyun.id}`);
    expect(view.body.tranches[1]).toMatchObject({ conditionMet: false, payable: false });
    expect(
      (view.body as { tranches: { reasons: string[] }[] }).tranches[1].reasons.join(' '),
    ).toMatch(/open finding .*扶贫台账不完善/);
    expect(view.body.tranches[0]).toMatchObject({ status: 'paid', conditionMet: true });
    expect((await pay(second)).status).toBe(409);

    const rectified = await auditor
      .post(
        `/v1/audits/${withFindings.body.id}/findings/${withFindings.body.findings[0].id}/rectify`,
      )
      .send({ note: '台账已补齐并经复核' });
    expect(rectified.status).toBe(200);
    expect(rectified.body.status).toBe('rectified');

    // The rectification met the second tranche's condition: subscribers are told.
    const conditionEvents = await funds.dataSource.query<
      { payload: { status: string; summary: { conditionMet: boolean; cause: string } } }[]
    >(
      `SELECT payload FROM outbox_event WHERE event_type = 'cn.ecomlog.funds.state-changed.v1'
       AND payload->>'entityId' = $1 AND payload->'summary' ? 'conditionMet' ORDER BY sequence`,
      [second],
    );
    expect(
      conditionEvents.map((e) => [
        e.payload.status,
        e.payload.summary.conditionMet,
        e.payload.summary.cause,
      ]),
    ).toEqual([
      ['scheduled', false, undefined],
      ['scheduled', true, 'audit.finding-rectified'],
    ]);

    // Four eyes: the requester cannot approve their own request.
    const request = await requester
      .post(`/v1/tranches/${second}/disbursement-requests`)
      .set('idempotency-key', `pay-${randomUUID()}`)
      .send({});
    expect(request.status).toBe(201);
    const own = await requester
      .post(`/v1/disbursement-requests/${request.body.id}/approve`)
      .send({});
    expect(own.status).toBe(403);
    expect(own.body.type).toMatch(/four-eyes-principle$/);
    const approved = await approver
      .post(`/v1/disbursement-requests/${request.body.id}/approve`)
      .send({});
    expect(approved.status).toBe(200);
    expect(approved.body.request.status).toBe('paid');
    expect(approved.body.contract.paidFen).toBe(480_000_000);
    // The third tranche needs a second passed audit.
    expect(approved.body.contract.tranches[2].reasons[0]).toBe(
      'needs 2 passed audits of this contract; only 1 recorded',
    );

    // One FundsJournalPosted per journal entry, through the outbox.
    const events = await funds.dataSource.query<{ kind: string; n: string; total: string }[]>(
      `SELECT payload->>'kind' AS kind, count(*) AS n, sum((payload->>'amountFen')::bigint) AS total
       FROM outbox_event WHERE event_type = 'cn.ecomlog.funds.journal-posted.v1' GROUP BY 1 ORDER BY 1`,
    );
    expect(events.map((e) => [e.kind, Number(e.n), Number(e.total)])).toEqual([
      ['allocation', 1, 1_500_000_000],
      ['contract_commitment', 3, 1_500_000_000],
      ['disbursement', 4, 690_000_000],
    ]);
    const [entries] = await funds.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM journal_entry',
    );
    expect(Number(entries.n)).toBe(8);
    // Every payment names its source and contractor.
    const [disbursement] = await funds.dataSource.query<{ payload: unknown }[]>(
      `SELECT payload FROM outbox_event WHERE event_type = 'cn.ecomlog.funds.journal-posted.v1'
       AND payload->>'trancheId' = $1`,
      [second],
    );
    expect(disbursement.payload).toMatchObject({
      kind: 'disbursement',
      amountFen: 240_000_000,
      divisionCode: '370982000000',
      sourceShares: [{ sourceId, amountFen: 240_000_000 }],
      payeeEnterpriseId: contractors[1].enterprise.id,
    });

    // The relay publishes every one of them to funds.ledger.v1.
    await waitFor(
      'the outbox relay to publish every funds event',
      async () => {
        const [pending] = await funds.dataSource.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM outbox_event WHERE topic = 'funds.ledger.v1' AND published_at IS NULL`,
        );
        return Number(pending.n) === 0;
      },
      { timeoutMs: 60_000 },
    );

    const check = await approver.post('/v1/ledger/balance-check').send({});
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ ok: true, mismatches: [], entries: 8 });

    // Every change is in the audit log.
    const audit = await funds.dataSource.query<{ action: string }[]>(
      `SELECT DISTINCT action FROM audit_entry ORDER BY action`,
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'allocation.created',
        'audit.finding-rectified',
        'audit.recorded',
        'contract.signed',
        'disbursement.approved-and-paid',
        'disbursement.requested',
        'program.created',
        'source.created',
      ]),
    );
  });

  it('refuses an allocation beyond what a source has left, naming both figures', async () => {
    const admin = funds.official(['admin'], '37');
    const pilotId = await createSource(admin, {
      name: `试点资金 ${uniqueSuffix()}`,
      level: 'provincial',
      budgetYear: 2020,
      divisionCode: '370900000000',
      amountFen: 1_000_000_000,
    });
    const programs = [];
    for (const code of ['370982000000', '370983000000']) {
      const created = await admin
        .post('/v1/programs')
        .send({ name: `县域试点 ${code} ${uniqueSuffix()}`, year: 2020, divisionCode: code });
      programs.push(created.body.id);
    }
    const first = await admin
      .post('/v1/allocations')
      .send({ sourceId: pilotId, programId: programs[0], amountFen: 800_000_000 });
    expect(first.status).toBe(201);
    const second = await admin
      .post('/v1/allocations')
      .send({ sourceId: pilotId, programId: programs[1], amountFen: 800_000_000 });
    expect(second.status).toBe(409);
    expect(second.body.type).toMatch(/allocation-exceeds-source$/);
    expect(second.body.detail).toContain('¥2,000,000.00 left');
    expect(second.body.detail).toContain('cannot give ¥8,000,000.00');
    const after = await admin.get(`/v1/sources/${pilotId}`);
    expect(after.body).toMatchObject({ allocatedFen: 800_000_000, remainingFen: 200_000_000 });
    // The program list is cursor-paginated (the dashboard follows nextCursor).
    const firstPage = await admin.get('/v1/programs?limit=2');
    expect(firstPage.body.items).toHaveLength(2);
    const secondPage = await admin.get(`/v1/programs?limit=2&cursor=${firstPage.body.nextCursor}`);
    expect(secondPage.body.items).toHaveLength(1);
    expect(secondPage.body.nextCursor).toBeUndefined();
    // A county official does not see the city's source.
    const countyOfficial = funds.official(['commerce'], county);
    expect((await countyOfficial.get(`/v1/sources/${pilotId}`)).status).toBe(404);
  });

  it('refuses a contract whose schedule does not sum to its amount, or whose contractor is not a service contractor', async () => {
    const [program] = (await requester.get('/v1/programs')).body.items;
    const bad = await requester.post('/v1/contracts').send({
      programId: program.id,
      contractorEnterpriseId: contractors[0].enterprise.id,
      title: `坏合同 ${uniqueSuffix()}`,
      amountFen: 100,
      tranches: [
        { percent: 30, condition: { kind: 'on_signing' } },
        { amountFen: 60, condition: { kind: 'milestone' } },
      ],
    });
    // Well formed, but the schedule breaks rules between fields: 422 with the field paths.
    expect(bad.status).toBe(422);
    expect((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      'tranches',
      'tranches[1].condition',
    ]);
    const unknown = await requester.post('/v1/contracts').send({
      programId: program.id,
      contractorEnterpriseId: randomUUID(),
      title: `未知企业 ${uniqueSuffix()}`,
      amountFen: 100,
      tranches: [{ percent: 100, condition: { kind: 'on_signing' } }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toMatch(/contractor-not-found$/);
  });
});
