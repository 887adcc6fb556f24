import { randomUUID } from 'node:crypto';
import {
  DivisionChanged,
  EnterpriseChanged,
  type DivisionChangedV1,
  type EnterpriseChangedV1,
  type EventDefinition,
} from '@ecomlog/contracts';
import { publishEvents } from '@ecomlog/messaging';
import { stackKafka, uniqueSuffix, waitFor } from '@ecomlog/testing';
import type { SiteView } from '../src/sites/sites.service';
import {
  divisionEvent,
  enterpriseEvent,
  problem,
  startSitesApp,
  testCounty,
  type HttpAgent,
  type SitesTestApp,
} from './sites-harness';

/**
 * The sites rules read only the local read models; here those are filled the way production fills
 * them: registry-format CloudEvents published to the real registry topics and applied by the
 * service's own consumers (group prefix of this run, offsets in this run's database).
 */
describe('sites on read models fed through Kafka', () => {
  const c = testCounty();
  const TOWN = c.town(1);
  const VILLAGE = c.village(1, 1);
  // A carrier code of this run only: the enterprise topic is shared with other runs.
  const carrier = `K${randomUUID()
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 8)
    .toUpperCase()}`;
  const operator = enterpriseEvent(c.prefix, { name: '测试县农村电商运营有限公司' });
  const courier = enterpriseEvent(c.prefix, {
    name: '测试快递有限公司',
    kinds: ['courier'],
    carrierCode: carrier,
  });

  let t: SitesTestApp;
  let commerce: HttpAgent;
  // Signed in as the registry, the only principal the broker lets write its topics.
  const registryKafka = stackKafka(`it-sites-as-registry-${uniqueSuffix()}`, {
    as: 'svc-registry',
  });

  async function publish<T extends object>(
    definition: EventDefinition<T>,
    payloads: T[],
  ): Promise<void> {
    await publishEvents(registryKafka, definition, payloads, 'registry');
  }

  async function knownVersion(table: string, key: string, value: string): Promise<number | false> {
    const rows = await t.dataSource.query<{ version: number }[]>(
      `SELECT version FROM ${table} WHERE ${key} = $1`,
      [value],
    );
    return rows[0]?.version ?? false;
  }

  beforeAll(async () => {
    t = await startSitesApp('kafka', { consumers: true });
    commerce = t.as(['commerce'], c.prefix);
    const divisions: DivisionChangedV1[] = [
      divisionEvent(c.PROVINCE, '测试省'),
      divisionEvent(c.CITY, '测试市'),
      divisionEvent(c.COUNTY, '测试县'),
      divisionEvent(TOWN, '一镇'),
      divisionEvent(VILLAGE, '一村'),
    ];
    await publish(DivisionChanged, divisions);
    await publish<EnterpriseChangedV1>(EnterpriseChanged, [operator, courier]);
    await waitFor(
      'the divisions and enterprises in the read models',
      async () =>
        (await knownVersion('known_division', 'code', VILLAGE)) === 1 &&
        (await knownVersion('known_enterprise', 'id', operator.id)) === 1 &&
        (await knownVersion('known_enterprise', 'id', courier.id)) === 1,
      { timeoutMs: 120000, intervalMs: 250 },
    );
  }, 180000);

  afterAll(async () => {
    await t?.close();
    await registryKafka.disconnect();
  });

  it('registers a site against what the consumers applied, and refuses once the registry deregisters the operator', async () => {
    const body = {
      name: '一村电商服务点',
      kind: 'village_service_point',
      divisionCode: VILLAGE,
      operatorEnterpriseId: operator.id,
      carriers: [carrier],
      status: 'operating',
      effectiveFrom: '2024-03-01',
    };
    const created = await commerce.post('/v1/sites').send(body).expect(201);
    expect(created.body).toMatchObject({ status: 'operating', carriers: [carrier] });
    const site = created.body as SiteView;

    // The registry deregisters the operator and the courier, and retires the town.
    await publish<EnterpriseChangedV1>(EnterpriseChanged, [
      {
        ...operator,
        status: 'deregistered',
        statusHistory: [
          ...operator.statusHistory,
          { status: 'deregistered', effectiveFrom: '2024-06-01' },
        ],
        version: 2,
      },
      {
        ...courier,
        status: 'suspended',
        statusHistory: [
          ...courier.statusHistory,
          { status: 'suspended', effectiveFrom: '2024-06-01' },
        ],
        version: 2,
      },
    ]);
    await publish(DivisionChanged, [
      divisionEvent(TOWN, '一镇', { status: 'retired', version: 2 }),
    ]);
    await waitFor(
      'the changes in the read models',
      async () =>
        (await knownVersion('known_enterprise', 'id', operator.id)) === 2 &&
        (await knownVersion('known_enterprise', 'id', courier.id)) === 2 &&
        (await knownVersion('known_division', 'code', TOWN)) === 2,
    );

    const refused = await problem(
      commerce.post('/v1/sites').send({ ...body, name: '一村快递驿站', kind: 'pickup_point' }),
      422,
    );
    expect(refused.type).toBe('https://ecomlog.cn/problems/operator-not-active');
    expect(refused.errors?.map((error) => error.path)).toEqual([
      'operatorEnterpriseId',
      'carriers[0]',
    ]);
    expect(refused.detail).toContain('is deregistered');
    const town = await problem(
      commerce.post('/v1/sites').send({
        name: '一镇服务站',
        kind: 'town_service_station',
        divisionCode: TOWN,
        operatorEnterpriseId: randomUUID(),
      }),
      422,
    );
    expect(town.detail).toContain(`division ${TOWN} 一镇 is retired`);

    // The existing site keeps its history; its own later changes stay possible.
    await commerce
      .post(`/v1/sites/${site.id}/status`)
      .send({ status: 'closed', effectiveFrom: '2024-06-01' })
      .expect(200);
  });
});
