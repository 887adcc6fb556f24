import { randomUUID } from 'node:crypto';
import { uniqueSuffix } from '@ecomlog/testing';
import {
  createSource,
  enterprise,
  fundedProgram,
  startFundsApp,
  type FundsTestApp,
  type HttpAgent,
} from './funds-harness';

interface Reply {
  status: number;
  body: { id?: string; type?: string; ok?: boolean; mismatches?: unknown[] };
}

/**
 * Paying exactly once and never overdrawing come from the database (row locks, unique indexes),
 * so they hold for any number of concurrent requests, with or without shared idempotency keys.
 */
describe('funds under concurrency - /v1/tranches/:id/disbursement-requests, /v1/allocations', () => {
  let funds: FundsTestApp;
  let requester: HttpAgent;
  let approvers: HttpAgent[];
  const county = '370982';
  const contractor = enterprise({ name: '并发承办企业', kinds: ['service_contractor'] });
  let programId: string;

  beforeAll(async () => {
    funds = await startFundsApp('concurrency');
    requester = funds.official(['commerce'], county, `requester-${uniqueSuffix()}`);
    approvers = [1, 2, 3].map((i) =>
      funds.official(['commerce'], county, `approver-${i}-${uniqueSuffix()}`),
    );
    await funds.registerEnterprises([contractor]);
    ({ programId } = await fundedProgram(requester, '并发测试项目', {
      name: '并发测试资金',
      amountFen: 1_000_000_000,
    }));
  });

  afterAll(async () => {
    await funds?.close();
  });

  async function contract(amountFen: number): Promise<string> {
    const created = await requester.post('/v1/contracts').send({
      programId,
      contractorEnterpriseId: contractor.id,
      title: `并发合同 ${uniqueSuffix()}`,
      amountFen,
      tranches: [
        { percent: 30, condition: { kind: 'on_signing' } },
        { percent: 70, condition: { kind: 'audit_passed' } },
      ],
    });
    expect(created.status).toBe(201);
    return (created.body as { tranches: { id: string }[] }).tranches[0].id;
  }

  async function disbursementsOf(trancheId: string): Promise<number> {
    const [row] = await funds.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM journal_entry WHERE tranche_id = $1 AND kind = 'disbursement'`,
      [trancheId],
    );
    return Number(row.n);
  }

  it('50 concurrent requests for one tranche (shared and distinct keys) create one request, and 50 concurrent approvals pay it once', async () => {
    const trancheId = await contract(10_000_000);
    const sharedKey = `shared-${randomUUID()}`;
    const requests: Reply[] = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        requester
          .post(`/v1/tranches/${trancheId}/disbursement-requests`)
          .set('idempotency-key', i % 2 === 0 ? sharedKey : `own-${randomUUID()}`)
          .send({})
          .then((r) => ({ status: r.status, body: r.body as Reply['body'] })),
      ),
    );
    // The first request wins; replays of the shared key get the same answer (the http lib's
    // IdempotencyInterceptor), every other key a clear refusal. One request row exists.
    const accepted = requests.filter((r) => r.status === 201 || r.status === 200);
    const ids = new Set(accepted.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [requestId] = [...ids] as string[];
    expect(requests.every((r) => [200, 201, 409].includes(r.status))).toBe(true);
    const rows = await funds.dataSource.query<{ id: string }[]>(
      'SELECT id FROM disbursement_request WHERE tranche_id = $1',
      [trancheId],
    );
    expect(rows.map((r) => r.id)).toEqual([requestId]);
    const approvals: Reply[] = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        approvers[i % approvers.length]
          .post(`/v1/disbursement-requests/${requestId}/approve`)
          .send({})
          .then((r) => ({ status: r.status, body: r.body as Reply['body'] })),
      ),
    );
    expect(approvals.filter((r) => r.status === 200)).toHaveLength(1);
    expect(approvals.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
    expect(await disbursementsOf(trancheId)).toBe(1);

    // The winning request's key names it: reusing that key for another tranche is refused, not
    // replayed. (Which of the 50 won is a race: the shared key or one of the others.)
    const [{ idempotency_key: winningKey }] = await funds.dataSource.query<
      { idempotency_key: string }[]
    >('SELECT idempotency_key FROM disbursement_request WHERE id = $1', [requestId]);
    const otherTranche = await contract(1_000_000);
    const reused = await requester
      .post(`/v1/tranches/${otherTranche}/disbursement-requests`)
      .set('idempotency-key', winningKey)
      .send({});
    expect(reused.status).toBe(422);
    expect((reused.body as { type: string }).type).toMatch(/idempotency-key-reused$/);
  });

  it('50 officials racing to request and approve the same tranche pay it exactly once', async () => {
    const trancheId = await contract(20_000_000);
    const officials = Array.from({ length: 50 }, (_, i) =>
      funds.official(['commerce'], county, `racer-${i}-${uniqueSuffix()}`),
    );
    const outcomes = await Promise.all(
      officials.map(async (official, i) => {
        const requested = await official
          .post(`/v1/tranches/${trancheId}/disbursement-requests`)
          .set('idempotency-key', `race-${randomUUID()}`)
          .send({});
        const pending = await requester.get(
          `/v1/disbursement-requests?trancheId=${trancheId}&status=pending_approval`,
        );
        const items = (pending.body as { items: { id: string; requestedBy: string }[] }).items;
        const other = officials[(i + 1) % officials.length];
        const approvals = await Promise.all(
          items.map((item) => other.post(`/v1/disbursement-requests/${item.id}/approve`).send({})),
        );
        return { requested: requested.status, approved: approvals.map((a) => a.status) };
      }),
    );
    expect(outcomes.every((o) => [201, 409].includes(o.requested))).toBe(true);
    const statuses = outcomes.flatMap((o) => o.approved);
    expect(statuses.filter((s) => ![200, 403, 409].includes(s))).toEqual([]);
    expect(await disbursementsOf(trancheId)).toBe(1);
    const paidRequests = await funds.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM disbursement_request WHERE tranche_id = $1 AND status = 'paid'`,
      [trancheId],
    );
    expect(Number(paidRequests[0].n)).toBe(1);
  });

  it('concurrent allocations never overdraw a source', async () => {
    const admin = funds.official(['admin'], '');
    const sourceId = await createSource(admin, {
      name: `小额试点 ${uniqueSuffix()}`,
      level: 'municipal',
      divisionCode: '370900000000',
      amountFen: 1_000_000,
    });
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        admin.post('/v1/allocations').send({ sourceId, programId, amountFen: 100_000 }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(30);
    const after = await admin.get(`/v1/sources/${sourceId}`);
    expect(after.body).toMatchObject({ allocatedFen: 1_000_000, remainingFen: 0 });
  });
});
