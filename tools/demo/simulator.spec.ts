import 'reflect-metadata';
import { ScanV1, validatePayload } from '@ecomlog/contracts';
import { createRandom, type DemoWorld } from './generators';
import { CountyTraffic, ScanQueue, simulatorOptionsFrom } from './simulator';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const world: DemoWorld = {
  county: { code: '370982000000', name: '测试县' },
  carriers: ['ZTO', 'YTO', 'STO', 'YUNDA', 'JD'].map((code, i) => ({
    code,
    enterpriseId: ID(100 + i),
  })),
  platforms: ['taobao'],
  sortingCentreSiteId: ID(1),
  countyCentreSiteId: ID(2),
  jointDistributionOperatorId: ID(3),
  towns: [{ code: '370982101000', name: '甲镇', stationSiteId: ID(10), pickupSiteIds: [ID(11)] }],
  villages: [
    { code: '370982101201', name: '一村村委会', townCode: '370982101000', pointSiteId: ID(20) },
    { code: '370982101202', name: '二村村委会', townCode: '370982101000', pointSiteId: null },
  ],
  retailers: [
    {
      enterpriseId: ID(200),
      name: '甲镇果品电子商务有限公司',
      creditCode: '91370982MA00000000',
      divisionCode: '370982101201',
      agricultural: true,
      shops: [{ platform: 'taobao', shopId: '3709820000' }],
    },
  ],
};

describe('CountyTraffic', () => {
  it('sends scans at about the asked rate once warmed up, and orders paid, shipped and refunded', () => {
    const start = Date.parse('2026-11-22T10:00:00+08:00');
    const options = { rate: 100, timeCompression: 1000, ordersRate: 2 };
    const traffic = new CountyTraffic(world, options, createRandom(1), start);
    traffic.warmUp(start, 216);
    const warm = traffic.tick(start, 0);
    expect(warm.scans.length).toBeGreaterThan(1000);
    let scans = 0;
    const revisions = new Map<string, number>();
    const statuses = new Set<string>();
    for (let second = 1; second <= 600; second += 1) {
      const { scans: due, orders } = traffic.tick(start + second * 1000, 1);
      scans += due.length;
      for (const { scan } of due.slice(0, 3)) {
        expect(validatePayload(ScanV1, scan, 'produce').ok).toBe(true);
        expect(Date.parse(scan.occurredAt)).toBeLessThanOrEqual(start + second * 1000);
      }
      for (const order of orders) {
        const before = revisions.get(order.orderNo) ?? 0;
        expect(order.revision).toBe(before + 1);
        revisions.set(order.orderNo, order.revision);
        statuses.add(order.status);
      }
    }
    const perSecond = scans / 600;
    expect(perSecond).toBeGreaterThan(85);
    expect(perSecond).toBeLessThan(115);
    expect(revisions.size).toBeGreaterThan(1100);
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['paid', 'shipped', 'refunded']));
  });
});

describe('ScanQueue', () => {
  it('hands out due scans earliest first and keeps the rest', () => {
    const queue = new ScanQueue();
    const scan = (dueAt: number) => ({ dueAt, scan: {} as ScanV1 });
    queue.push(scan(5), scan(1), scan(9), scan(3), scan(7));
    expect(queue.takeDue(6).map((s) => s.dueAt)).toEqual([1, 3, 5]);
    expect(queue.size).toBe(2);
    expect(queue.takeDue(100).map((s) => s.dueAt)).toEqual([7, 9]);
  });
});

describe('simulatorOptionsFrom', () => {
  it('reads rate, duration and county, with orders paced to the outbound parcels', () => {
    const options = simulatorOptionsFrom([
      '--rate',
      '200',
      '--duration',
      '60',
      '--county',
      '640521',
    ]);
    expect(options).toMatchObject({
      rate: 200,
      duration: 60,
      county: '640521',
      httpCarriers: ['JD'],
      warmUp: true,
    });
    expect(options.ordersRate).toBe(0.8);
    expect(() => simulatorOptionsFrom(['--county', '6405'])).toThrow(/6-digit/);
  });
});
