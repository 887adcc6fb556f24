import { uniqueSuffix } from '@ecomlog/testing';
// The demo's funds seeding is a dependency-free script in tools/; it is exercised here against the
// real service because tools cannot depend on the app (and the script has no package of its own).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { seedFundsDemo } from '../../../tools/demo/funds-demo';
import { enterprise, startFundsApp, type FundsTestApp } from './funds-harness';

interface Program {
  name: string;
  allocatedFen: number;
  committedFen: number;
  disbursedFen: number;
  contracts: {
    amountFen: number;
    paidFen: number;
    tranches: { status: string; conditionMet: boolean }[];
  }[];
}

describe('tools/demo/funds-demo.ts seeds the demonstration county through the HTTP API, idempotently', () => {
  let funds: FundsTestApp;
  let baseUrl: string;

  beforeAll(async () => {
    funds = await startFundsApp('demoseed');
    await funds.app.listen(0, '127.0.0.1');
    baseUrl = await funds.app.getUrl();
  });

  afterAll(async () => {
    await funds?.close();
  });

  it('creates the ¥15,000,000 program with three contracts and pays ¥4,500,000 at signing, twice over without change', async () => {
    const contractors = [
      '山东杞农电子商务有限公司',
      '新泰青云购物中心有限公司',
      '镇江盛玥商业信息咨询管理有限公司',
    ].map((name) => enterprise({ name, kinds: ['service_contractor'] }));
    await funds.registerEnterprises(contractors);
    const options = {
      fundsBaseUrl: baseUrl,
      commerceToken: funds.token(['commerce'], '370982', `demo-commerce-${uniqueSuffix()}`),
      approverToken: funds.token(['commerce'], '370982', `demo-approver-${uniqueSuffix()}`),
      auditorToken: funds.token(['auditor'], '370982', `demo-auditor-${uniqueSuffix()}`),
      countyCode: '370982',
      contractorEnterpriseIds: contractors.map((c) => c.id),
    };
    await seedFundsDemo(options);
    await seedFundsDemo(options);

    const reader = funds.official(['viewer'], '370982');
    const programs = (await reader.get('/v1/programs')).body.items as Program[];
    expect(programs).toHaveLength(1);
    expect(programs[0]).toMatchObject({
      allocatedFen: 1_500_000_000,
      committedFen: 1_500_000_000,
      disbursedFen: 450_000_000,
    });
    expect(programs[0].contracts.map((c) => [c.amountFen, c.paidFen])).toEqual([
      [600_000_000, 180_000_000],
      [800_000_000, 240_000_000],
      [100_000_000, 30_000_000],
    ]);
    const [entries] = await funds.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM journal_entry',
    );
    expect(Number(entries.n)).toBe(1 + 3 + 3);
    const [audits] = await funds.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM contract_audit',
    );
    expect(Number(audits.n)).toBe(1);
  });
});
