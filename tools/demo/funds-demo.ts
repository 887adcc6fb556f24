/**
 * Seeds the demonstration-county funding of seed 002 (新泰市, 2019年全国电子商务进农村综合示范县)
 * through the funds service's public HTTP API only: the central fund of ¥15,000,000, the program,
 * its allocation, the three contracts (¥6,000,000, ¥8,000,000, ¥1,000,000; 30% at signing, 30%
 * after the mid-term audit, 40% after final acceptance), the signing tranches paid (requested by
 * one official, approved by another: ¥1,800,000 + ¥2,400,000 + ¥300,000 = ¥4,500,000), and the
 * routine audit that found the poverty-alleviation ledger incomplete (扶贫台账不完善), still being
 * rectified. Safe to run twice: everything is looked up before it is created and every write
 * carries an Idempotency-Key. Dependency-free (global fetch).
 */

export interface FundsDemoOptions {
  fundsBaseUrl: string;
  /** commerce official of the county: creates, and requests the payments */
  commerceToken: string;
  /** a second commerce (or admin) official: approves the payments (四眼原则) */
  approverToken: string;
  auditorToken: string;
  /** 6 digits (370982) or 12 digits (370982000000) */
  countyCode: string;
  /** Active service_contractor enterprises in the registry, in seed order (杞农, 青云, 盛玥). */
  contractorEnterpriseIds: string[];
}

const SOURCE_NAME = '2019年中央财政电子商务进农村综合示范资金';
const PROGRAM_NAME = '2019年电子商务进农村综合示范';
const SIGNED_ON = '2020-03-20';

/** The three contracts of seed 002, amounts in fen. */
const CONTRACTS = [
  {
    title: '市镇村三级电商公共服务体系、农村产品上行与品牌营销服务体系建设',
    amountFen: 600_000_000,
    tasks: [
      {
        description: '建设运营市级电商公共服务中心',
        siteKind: 'county_service_center',
        targetCount: 1,
      },
      { description: '建设 20个镇级电商服务站', siteKind: 'town_service_station', targetCount: 20 },
      {
        description: '建设 130个村级电商服务点',
        siteKind: 'village_service_point',
        targetCount: 130,
      },
    ],
  },
  {
    title: '互联网+农村现代物流配送体系建设',
    amountFen: 800_000_000,
    tasks: [
      { description: '建设运营市级物流仓储配送中心', siteKind: 'warehouse', targetCount: 1 },
      { description: '建设 150个镇村电商物流站点' },
    ],
  },
  {
    title: '农村电子商务培训体系建设',
    amountFen: 100_000_000,
    tasks: [{ description: '电商培训（站长、直播、创业、进村入户扶贫培训）' }],
  },
];

const TRANCHES = [
  { label: '项目启动拨付 30%', percent: 30, condition: { kind: 'on_signing' } },
  { label: '中期审计后拨付 30%', percent: 30, condition: { kind: 'audit_passed' } },
  { label: '验收后拨付 40%', percent: 40, condition: { kind: 'audit_passed' } },
];

interface Tranche {
  id: string;
  status: 'scheduled' | 'requested' | 'paid';
  pendingRequestId: string | null;
}

interface Contract {
  id: string;
  title: string;
  tranches: Tranche[];
  audits: unknown[];
}

class FundsClient {
  constructor(private readonly baseUrl: string) {}

  async call<T>(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async expect<T>(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<T> {
    const reply = await this.call<T>(token, method, path, body, key);
    if (reply.status >= 300) {
      throw new Error(
        `funds ${method} ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`,
      );
    }
    return reply.body;
  }
}

export async function seedFundsDemo(options: FundsDemoOptions): Promise<void> {
  const funds = new FundsClient(options.fundsBaseUrl);
  const { commerceToken: commerce, approverToken: approver, auditorToken: auditor } = options;
  const county = options.countyCode.slice(0, 6);
  const divisionCode = county.padEnd(12, '0');
  if (options.contractorEnterpriseIds.length === 0)
    throw new Error('seedFundsDemo needs contractors');

  const sources = await funds.expect<{ id: string; name: string }[]>(
    commerce,
    'GET',
    `/v1/sources?divisionPrefix=${county}&year=2019`,
  );
  const source =
    sources.find((s) => s.name === SOURCE_NAME) ??
    (await funds.expect<{ id: string }>(
      commerce,
      'POST',
      '/v1/sources',
      {
        name: SOURCE_NAME,
        level: 'central',
        budgetYear: 2019,
        divisionCode,
        amountFen: 1_500_000_000,
      },
      `funds-demo-source-${county}`,
    ));

  interface ProgramItem {
    id: string;
    name: string;
    allocations: { sourceId: string }[];
  }
  const programs = await funds.expect<{ items: ProgramItem[] }>(
    commerce,
    'GET',
    `/v1/programs?divisionPrefix=${county}`,
  );
  const program =
    programs.items.find((p) => p.name === PROGRAM_NAME) ??
    (await funds.expect<ProgramItem>(
      commerce,
      'POST',
      '/v1/programs',
      { name: PROGRAM_NAME, year: 2019, divisionCode },
      `funds-demo-program-${county}`,
    ));
  const programId = program.id;
  if (!program.allocations.some((a) => a.sourceId === source.id)) {
    await funds.expect(
      commerce,
      'POST',
      '/v1/allocations',
      {
        sourceId: source.id,
        programId,
        amountFen: 1_500_000_000,
        memo: '中央财政资金拨付示范项目',
      },
      `funds-demo-allocation-${programId}`,
    );
  }

  const existing = (
    await funds.expect<{ items: Contract[] }>(
      commerce,
      'GET',
      `/v1/contracts?programId=${programId}`,
    )
  ).items;
  const contracts: Contract[] = [];
  for (const [index, spec] of CONTRACTS.entries()) {
    const found = existing.find((c) => c.title === spec.title);
    if (found) {
      contracts.push(found);
      continue;
    }
    const contractorEnterpriseId =
      options.contractorEnterpriseIds[index % options.contractorEnterpriseIds.length];
    contracts.push(
      await createContract(funds, commerce, {
        programId,
        contractorEnterpriseId,
        title: spec.title,
        amountFen: spec.amountFen,
        signedOn: SIGNED_ON,
        tasks: spec.tasks,
        tranches: TRANCHES,
      }),
    );
  }

  // 项目启动时拨付 30%: requested by one official, approved by another.
  for (const contract of contracts) {
    const signing = contract.tranches[0];
    if (signing.status === 'paid') continue;
    const requestId =
      signing.pendingRequestId ??
      (
        await funds.expect<{ id: string }>(
          commerce,
          'POST',
          `/v1/tranches/${signing.id}/disbursement-requests`,
          {},
          `funds-demo-signing-${signing.id}`,
        )
      ).id;
    await funds.expect(
      approver,
      'POST',
      `/v1/disbursement-requests/${requestId}/approve`,
      { note: '项目启动拨付' },
      `funds-demo-approve-${requestId}`,
    );
  }

  // 日常审计中存在扶贫台账不完善问题 … 督促承办企业正在整改: an open finding on the first contract.
  const first = await funds.expect<Contract>(commerce, 'GET', `/v1/contracts/${contracts[0].id}`);
  if (first.audits.length === 0) {
    await funds.expect(
      auditor,
      'POST',
      `/v1/contracts/${first.id}/audits`,
      {
        outcome: 'findings',
        auditedOn: '2021-01-10',
        summary: '山东泰山会计师事务所全程跟踪审计（日常审计）',
        findings: [{ description: '扶贫台账不完善，正在对接市扶贫办整改' }],
      },
      `funds-demo-audit-${first.id}`,
    );
  }
}

/** The contractor reaches funds through registry.enterprises.v1: wait for it a little. */
async function createContract(
  funds: FundsClient,
  token: string,
  body: Record<string, unknown>,
): Promise<Contract> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reply = await funds.call<Contract & { type?: string }>(
      token,
      'POST',
      '/v1/contracts',
      body,
      `funds-demo-contract-${String(body.programId)}-${CONTRACTS.findIndex((c) => c.title === body.title)}`,
    );
    if (reply.status === 201 || reply.status === 200) return reply.body;
    const waiting = reply.status === 422 && /contractor-not-found$/.test(reply.body?.type ?? '');
    if (!waiting || Date.now() > deadline) {
      throw new Error(
        `funds POST /v1/contracts answered ${reply.status}: ${JSON.stringify(reply.body)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
