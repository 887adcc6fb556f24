import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SiteChanged, type SiteChangedV1 } from '@ecomlog/contracts';
import { publishEvents } from '@ecomlog/messaging';
import { produceWithKcat, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { startParcelsApp, type ParcelsTestApp } from './parcels-harness';

const run = uniqueSuffix();

function site(id: string, divisionCode: string, version: number): SiteChangedV1 {
  return {
    id,
    name: `测试站点 ${run} v${version}`,
    kind: 'village_service_point',
    divisionCode,
    operatorEnterpriseId: '0b6f6a8e-4c1d-4f7e-9a51-3e2d7c9b1f20',
    carriers: ['YTO', 'ZTO'],
    services: ['parcel_delivery'],
    dailyCapacity: 300,
    address: null,
    location: null,
    flags: { coldChain: false, cloudWarehouse: false },
    statusHistory: [
      { status: 'planned', effectiveFrom: '2023-03-01', note: null },
      { status: 'operating', effectiveFrom: '2023-06-18', note: '验收通过' },
    ],
    version,
    changedAt: new Date().toISOString(),
  };
}

interface ScanRow {
  scan_id: string;
  site_id: string | null;
  division_code: string | null;
}

interface SiteRow {
  division_code: string;
  carriers: string[];
  status_history: { status: string }[];
  version: number;
}

describe('parcels sites read model and scan-to-site links', () => {
  let parcels: ParcelsTestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    parcels = await startParcelsApp('sites');
    dataSource = parcels.dataSource;
  });

  afterAll(async () => {
    await parcels.close();
  });

  async function publishSites(sites: SiteChangedV1[]): Promise<void> {
    await publishEvents(parcels.kafka, SiteChanged, sites, 'it/sites');
  }

  function produceScans(scans: object[]): void {
    const lines = scans.map((scan) => {
      const { waybillNo } = scan as { waybillNo: string };
      return `${waybillNo}:${JSON.stringify(scan)}`;
    });
    produceWithKcat('parcels.scans.v1', lines);
  }

  async function scans(waybillNo: string): Promise<ScanRow[]> {
    return dataSource.query<ScanRow[]>(
      'SELECT scan_id, site_id, division_code FROM scan WHERE waybill_no = $1 ORDER BY scan_id',
      [waybillNo],
    );
  }

  async function knownSite(id: string): Promise<SiteRow | undefined> {
    const [row] = await dataSource.query<SiteRow[]>(
      'SELECT division_code, carriers, status_history, version FROM known_site WHERE id = $1',
      [id],
    );
    return row;
  }

  it('keeps the latest SiteChanged per site, and gives site-only scans the site division (now or once the site is known)', async () => {
    const known = randomUUID();
    const later = randomUUID();
    // Version 2 moves the site; the older version 1 arriving after it changes nothing.
    await publishSites([site(known, '640521100201', 2)]);
    await publishSites([site(known, '640521100999', 1)]);
    await waitFor('the known site stored', async () => (await knownSite(known))?.version === 2, {
      timeoutMs: 60000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await knownSite(known)).toEqual({
      division_code: '640521100201',
      carriers: ['YTO', 'ZTO'],
      status_history: [
        { status: 'planned', effectiveFrom: '2023-03-01', note: null },
        { status: 'operating', effectiveFrom: '2023-06-18', note: '验收通过' },
      ],
      version: 2,
    });

    const waybillNo = `SL${run.toUpperCase()}`;
    const scan = (n: number, extra: object) => ({
      scanId: `${waybillNo}-${n}`,
      carrier: 'ZTO',
      waybillNo,
      status: ['GOT', 'DEPARTURE', 'ARRIVAL'][n - 1],
      occurredAt: `2024-08-01T0${n}:00:00+08:00`,
      ...extra,
    });
    produceScans([
      scan(1, { siteId: known }), // only the site: its division is taken from the site
      scan(2, { siteId: known, divisionCode: '330782000000' }), // both: the scan's own division
      scan(3, { siteId: later }), // a site not known yet: stored, linked later
    ]);
    await waitFor(
      'the three scans stored',
      async () => ((await scans(waybillNo)).length === 3 ? true : undefined),
      { timeoutMs: 60000 },
    );
    expect(await scans(waybillNo)).toEqual([
      { scan_id: `${waybillNo}-1`, site_id: known, division_code: '640521100201' },
      { scan_id: `${waybillNo}-2`, site_id: known, division_code: '330782000000' },
      { scan_id: `${waybillNo}-3`, site_id: later, division_code: null },
    ]);

    await publishSites([site(later, '640521100202', 1)]);
    await waitFor(
      'the waiting scan linked to its newly known site',
      async () => (await scans(waybillNo))[2].division_code === '640521100202',
      { timeoutMs: 60000 },
    );
    const [parcel] = await dataSource.query<{ status: string }[]>(
      'SELECT status FROM parcel WHERE waybill_no = $1',
      [waybillNo],
    );
    expect(parcel.status).toBe('at_hub');
  });
});
