import type { CoverageGaps } from '../src/coverage-gaps/coverage.dto';
import type { SiteView } from '../src/sites/sites.service';
import {
  divisionEvent,
  enterpriseEvent,
  problem,
  seedCounty,
  startSitesApp,
  testCounty,
  type HttpAgent,
  type SitesTestApp,
} from './sites-harness';

/**
 * 补白 on a small county: three towns, eight administrative villages (one more retired) and a
 * residents' committee, with sites in various states; the gap lists and ratios are checked
 * exactly as of two days. The read models are seeded with the rows their consumers would write.
 */
describe('coverage gaps (sites service) on the real database', () => {
  const c = testCounty();
  const T1 = c.town(1);
  const T2 = c.town(2);
  const T3 = c.town(3);
  const V11 = c.village(1, 1);
  const V12 = c.village(1, 2);
  const V13 = c.village(1, 3);
  const R11 = c.committee(1, 1);
  const V21 = c.village(2, 1);
  const V22 = c.village(2, 2);
  const V23 = c.village(2, 3);
  const V24 = c.village(2, 4);
  const V31 = c.village(3, 1);
  const V32 = c.village(3, 2);
  const NAMES: Record<string, string> = {
    [T1]: '一镇',
    [T2]: '二乡',
    [T3]: '三镇',
    [V11]: '一村',
    [V12]: '二村',
    [V13]: '三村',
    [R11]: '镇区社区',
    [V21]: '东村',
    [V22]: '西村',
    [V23]: '南村',
    [V24]: '北村（已撤并）',
    [V31]: '上村',
    [V32]: '下村',
  };
  const ref = (code: string): { code: string; name: string } => ({ code, name: NAMES[code] });

  const operator = enterpriseEvent(c.prefix, { name: '测试县电商公共服务有限公司' });
  const zto = enterpriseEvent(c.prefix, { kinds: ['courier'], carrierCode: 'ZTO', name: '中通' });
  const yto = enterpriseEvent(c.prefix, { kinds: ['courier'], carrierCode: 'YTO', name: '圆通' });

  let t: SitesTestApp;
  let postal: HttpAgent;

  /** Registers a site with its first status, then records the later ones (oldest first). */
  async function site(
    kind: string,
    divisionCode: string,
    carriers: string[],
    history: [string, string][],
  ): Promise<SiteView> {
    const [[status, effectiveFrom], ...later] = history;
    const created = await postal.post('/v1/sites').send({
      name: `${NAMES[divisionCode] ?? divisionCode} ${kind}`,
      kind,
      divisionCode,
      operatorEnterpriseId: operator.id,
      carriers,
      status,
      effectiveFrom,
    });
    expect({ status: created.status, body: created.body as unknown }).toMatchObject({
      status: 201,
    });
    const view = created.body as SiteView;
    for (const [next, from] of later) {
      await postal
        .post(`/v1/sites/${view.id}/status`)
        .send({ status: next, effectiveFrom: from })
        .expect(200);
    }
    return view;
  }

  async function gaps(region: string, asOf: string, agent = postal): Promise<CoverageGaps> {
    const response = await agent.get(`/v1/coverage/gaps?region=${region}&asOf=${asOf}`);
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
    });
    return response.body as CoverageGaps;
  }

  beforeAll(async () => {
    t = await startSitesApp('coverage');
    await seedCounty(
      t.dataSource,
      c,
      [
        ...[T1, T2, T3, V11, V12, V13, R11, V21, V22, V23, V31, V32].map((code) =>
          divisionEvent(code, NAMES[code]),
        ),
        divisionEvent(V24, NAMES[V24], { status: 'retired', replacedBy: V23, version: 2 }),
      ],
      [operator, zto, yto],
    );
    postal = t.as(['postal'], c.CITY.slice(0, 4));

    // Not counted anywhere: a county centre, a residents' committee, a town-level pickup point
    // and a site in the neighbouring county.
    await site('county_service_center', c.COUNTY, [], [['operating', '2021-01-01']]);
    await site('village_service_point', R11, ['ZTO'], [['operating', '2021-01-01']]);
    await site('pickup_point', T3, ['ZTO'], [['operating', '2021-01-01']]);
    await site(
      'village_service_point',
      c.otherVillage(1, 1),
      ['ZTO'],
      [['operating', '2021-01-01']],
    );

    // Town stations.
    await site('town_service_station', T1, [], [['operating', '2023-03-01']]);
    await site(
      'town_service_station',
      T2,
      ['ZTO'],
      [
        ['planned', '2023-01-01'],
        ['operating', '2024-01-15'],
      ],
    );
    await site(
      'town_service_station',
      T3,
      [],
      [
        ['operating', '2022-05-01'],
        ['suspended', '2024-03-01'],
      ],
    );

    // Villages.
    await site('village_service_point', V11, ['ZTO'], [['operating', '2022-01-01']]);
    await site('village_service_point', V12, [], [['operating', '2023-01-01']]);
    await site('parcel_locker', V12, ['YTO'], [['operating', '2024-02-01']]);
    await site('pickup_point', V13, ['ZTO', 'YTO'], [['operating', '2023-05-01']]);
    await site(
      'village_service_point',
      V21,
      ['ZTO'],
      [
        ['planned', '2023-01-01'],
        ['under_construction', '2023-05-01'],
        ['operating', '2024-05-01'],
      ],
    );
    await site(
      'rural_supermarket',
      V22,
      ['ZTO'],
      [
        ['operating', '2023-02-01'],
        ['closed', '2024-01-01'],
      ],
    );
    await site(
      'village_service_point',
      V31,
      ['ZTO'],
      [
        ['operating', '2022-06-01'],
        ['suspended', '2023-06-15'],
        ['operating', '2023-09-01'],
      ],
    );
    // V23 and V32 have nothing.
  });

  afterAll(async () => {
    await t?.close();
  });

  /** A coverage share as the API answers it: `covered` of `total`, the others listed as gaps. */
  const share = (covered: number, total: number, gapCodes: string[]) => ({
    total,
    covered,
    numerator: covered,
    denominator: total,
    ratio: covered / total,
    gaps: gapCodes.map(ref),
  });

  it.each([
    {
      asOf: '2023-06-30',
      towns: share(2, 3, [T2]),
      villagePoints: share(2, 8, [V13, V21, V22, V23, V31, V32]),
      villageExpress: share(3, 8, [V12, V21, V23, V31, V32]),
    },
    {
      asOf: '2024-06-30',
      towns: share(2, 3, [T3]),
      villagePoints: share(4, 8, [V13, V22, V23, V32]),
      villageExpress: share(5, 8, [V22, V23, V32]),
    },
  ])('lists the gaps and ratios of the county as of $asOf', async (expected) => {
    expect(await gaps(c.COUNTY, expected.asOf)).toEqual({
      ...expected,
      region: { code: c.COUNTY, name: '测试县', level: 'county' },
    });
  });

  it('answers for a town, for a village (ratio null without towns) and before any site', async () => {
    const town = await gaps(T1, '2024-06-30');
    expect(town.region).toEqual({ code: T1, name: '一镇', level: 'town' });
    expect(town.towns).toMatchObject({ total: 1, covered: 1, ratio: 1, gaps: [] });
    expect(town.villagePoints).toMatchObject({ total: 3, covered: 2, gaps: [ref(V13)] });
    expect(town.villageExpress).toMatchObject({ total: 3, covered: 3, ratio: 1, gaps: [] });

    const village = await gaps(V23, '2024-06-30');
    expect(village.towns).toEqual({
      total: 0,
      covered: 0,
      numerator: 0,
      denominator: 0,
      ratio: null,
      gaps: [],
    });
    expect(village.villagePoints).toMatchObject({ total: 1, covered: 0, ratio: 0 });

    const early = await gaps(c.COUNTY, '2020-12-31');
    expect(early.towns).toMatchObject({ total: 3, covered: 0, ratio: 0 });
    expect(early.villagePoints.gaps).toHaveLength(8);
    expect(early.villageExpress.covered).toBe(0);

    // The city is the county plus its neighbour (one more town and administrative village).
    const city = await gaps(c.CITY, '2024-06-30');
    expect(city.towns).toMatchObject({ total: 4, covered: 2 });
    expect(city.villageExpress).toMatchObject({ total: 9, covered: 6 });
  });

  it('keeps officials inside their region and names unknown regions', async () => {
    const county = t.as(['viewer'], c.prefix);
    expect((await gaps(c.COUNTY, '2024-06-30', county)).towns.covered).toBe(2);
    const wider = await problem(county.get(`/v1/coverage/gaps?region=${c.CITY}`), 403);
    expect(wider.type).toBe('https://ecomlog.cn/problems/outside-region');
    await problem(t.as(['viewer'], c.otherPrefix).get(`/v1/coverage/gaps?region=${T1}`), 403);
    const unknown = await problem(postal.get(`/v1/coverage/gaps?region=${c.prefix}199000`), 404);
    expect(unknown.type).toBe('https://ecomlog.cn/problems/division-not-found');
    const bad = await problem(postal.get('/v1/coverage/gaps?region=64&asOf=2024-13-01'), 400);
    expect(bad.errors?.map((error) => error.path).sort()).toEqual(['asOf', 'region']);
  });
});
