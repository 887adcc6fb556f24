import { validateCreditCode } from '@ecomlog/contracts';
import {
  demoCreditCode,
  planEnterprises,
  planSites,
  shortVillageName,
  sitesCsv,
  type CountyDivisions,
} from './county-plan';

/** A made-up county of 12 towns with 40 administrative villages each. */
const divisions: CountyDivisions = {
  county: { code: '640521000000', name: '测试县' },
  towns: Array.from({ length: 12 }, (_, t) => {
    const town = `640521${String(101 + t)}`;
    return {
      code: `${town}000`,
      name: `第${t + 1}镇`,
      villages: Array.from({ length: 40 }, (_, v) => ({
        code: `${town}${String(201 + v)}`,
        name: `村${t}-${v}村委会`,
      })),
    };
  }),
};
const carriers = ['ZTO', 'YTO', 'STO', 'YUNDA', 'JD'];
const platforms = ['taobao', 'jd', 'pinduoduo', 'douyin'];

describe('planEnterprises', () => {
  const plan = planEnterprises(divisions, carriers, platforms);

  it('has valid, distinct credit codes and stable refs', () => {
    for (const enterprise of plan)
      expect(validateCreditCode(enterprise.creditCode)).toEqual({ ok: true });
    expect(new Set(plan.map((e) => e.creditCode)).size).toBe(plan.length);
    expect(new Set(plan.map((e) => e.ref)).size).toBe(plan.length);
    expect(planEnterprises(divisions, carriers, platforms)).toEqual(plan);
  });

  it('has a courier branch per carrier, a client enterprise per platform, the contractor and the joint-distribution operator', () => {
    expect(plan.filter((e) => e.kinds.includes('courier')).map((e) => e.carrierCode)).toEqual(
      carriers,
    );
    expect(plan.filter((e) => e.kinds.includes('platform'))).toHaveLength(platforms.length);
    expect(plan.find((e) => e.ref === 'service-contractor')?.kinds).toEqual(['service_contractor']);
    expect(plan.find((e) => e.ref === 'joint-distribution')?.logisticsRating).toBe('3A');
  });

  it('spreads 30 sellers over the towns, with shops unique per platform and some cooperatives', () => {
    const retailers = plan.filter((e) => e.kinds.includes('ecommerce_retailer'));
    expect(retailers).toHaveLength(30);
    expect(retailers.filter((r) => r.kinds.includes('cooperative')).length).toBeGreaterThan(3);
    expect(retailers.filter((r) => r.agricultural).length).toBeGreaterThan(10);
    const shops = retailers.flatMap((r) => r.shops.map((s) => `${s.platform}/${s.shopId}`));
    expect(new Set(shops).size).toBe(shops.length);
    for (const r of retailers) expect(r.registeredDivisionCode.startsWith('640521')).toBe(true);
  });
});

describe('planSites', () => {
  const sites = planSites(divisions, carriers);
  const villages = divisions.towns.flatMap((t) => t.villages);

  it('covers a realistic share of villages and most towns, leaving gaps', () => {
    const points = sites.filter((s) => s.kind === 'village_service_point');
    const share = points.length / villages.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.86);
    const stations = sites.filter((s) => s.kind === 'town_service_station');
    expect(stations.length).toBeGreaterThanOrEqual(divisions.towns.length * 0.6);
    expect(stations.length).toBeLessThanOrEqual(divisions.towns.length);
    expect(sites.filter((s) => s.kind === 'county_sorting_center')[0].carriers).toEqual(carriers);
  });

  it('is one site per (division, kind, name), dated in the past, and the same on a rerun', () => {
    const keys = sites.map((s) => `${s.divisionCode}|${s.kind}|${s.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const site of sites) expect(site.effectiveFrom < '2026-01-01').toBe(true);
    expect(planSites(divisions, carriers)).toEqual(sites);
  });

  it('writes the CSV the sites import reads', () => {
    const csv = sitesCsv(sites.slice(0, 3), (ref) => `id-of-${ref}`);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'name,kind,divisionCode,operatorEnterpriseId,carriers,services,status,effectiveFrom,dailyCapacity',
    );
    expect(lines[1]).toContain(',county_service_center,640521000000,id-of-service-contractor,');
    expect(lines).toHaveLength(4);
  });
});

describe('names and codes', () => {
  it('shortens village committee names', () => {
    expect(shortVillageName('东都二村村委会')).toBe('东都二村');
    expect(shortVillageName('西都社区居委会')).toBe('西都社区');
    expect(shortVillageName('某某村民委员会')).toBe('某某');
  });

  it('makes credit codes with the county in positions 3–8', () => {
    const code = demoCreditCode('370982000000', 'retailer-1', '3');
    expect(code.slice(0, 8)).toBe('93370982');
    expect(validateCreditCode(code)).toEqual({ ok: true });
  });
});
