/**
 * The demo seed and simulator against the running services (started here with
 * tools/services.sh when they are not running, and stopped again afterwards): a small
 * real county (150205 石拐区, 9 towns, 17 administrative villages) is seeded twice (the second run
 * must add nothing), then the simulator streams for a few seconds and its parcels and orders must
 * be readable through the services' APIs. State goes to a throwaway directory, not .stack/demo/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { stack } from '@ecomlog/testing';

const COUNTY = '150205';
const demoDir = mkdtempSync(join(tmpdir(), 'ecomlog-demo-'));
process.env.DEMO_DIR = demoDir;

type SeedModule = typeof import('./seed');
type SimulatorModule = typeof import('./simulator');
type HttpModule = typeof import('./demo-http');
type SettingsModule = typeof import('./demo-settings');

let seed: SeedModule;
let simulator: SimulatorModule;
let http: HttpModule;
let settings: SettingsModule;

const servicesScript = join(__dirname, '..', 'services.sh');
let startedServices = false;

beforeAll(async () => {
  // Loaded after DEMO_DIR is set: the settings module reads it once.
  seed = await import('./seed');
  simulator = await import('./simulator');
  http = await import('./demo-http');
  settings = await import('./demo-settings');
  const running = await fetch(`${settings.services.registry}/ready`).then(
    (response) => response.ok,
    () => false,
  );
  if (!running) {
    // The test command has no services running: start them (and stop them afterwards).
    execFileSync('bash', [servicesScript, 'up'], { stdio: 'inherit' });
    startedServices = true;
  }
}, 300_000);

afterAll(() => {
  rmSync(demoDir, { recursive: true, force: true });
  if (startedServices) execFileSync('bash', [servicesScript, 'down'], { stdio: 'inherit' });
}, 120_000);

const options = {
  county: COUNTY,
  ordersPerDay: 2,
  parcelDays: 1,
  parcelsPerDay: 10,
  history: true,
};

describe('demo county seed and simulator (running services)', () => {
  it('seeds a county idempotently, keeps secrets owner-only, and streams scans and orders the services store', async () => {
    const first = await seed.seedDemo(options);
    const { world, credentials } = first;
    expect(world.county.code).toBe(`${COUNTY}000000`);
    expect(world.towns.length).toBe(9);
    expect(world.villages.length).toBeGreaterThanOrEqual(15);
    expect(Object.keys(credentials.clients).sort()).toEqual(
      [
        ...['JD', 'STO', 'YTO', 'YUNDA', 'ZTO'].map((c) => `courier:${c}`),
        ...['douyin', 'jd', 'pinduoduo', 'taobao'].map((p) => `platform:${p}`),
      ].sort(),
    );
    expect(statSync(settings.paths.credentials(COUNTY)).mode & 0o777).toBe(0o600);
    expect(statSync(settings.paths.admin()).mode & 0o777).toBe(0o600);

    // Second run: same world (same site and enterprise ids), nothing new registered.
    const second = await seed.seedDemo(options);
    expect(second.world).toEqual(world);
    expect(second.credentials.clients).toEqual(credentials.clients);

    const commerce = credentials.officials.commerce;
    const token = await http.TokenSource.official(
      settings.services.registry,
      commerce.username,
      commerce.password,
    ).token();

    // Coverage gaps (补白) of the county: realistic, so neither empty nor complete.
    const gaps = await http.request<Record<string, { total: number; covered: number }>>(
      'GET',
      `${settings.services.sites}/v1/coverage/gaps?region=${COUNTY}000000`,
      { token },
    );
    expect(gaps.villagePoints.total).toBe(world.villages.length);
    expect(gaps.villagePoints.covered).toBe(world.villages.filter((v) => v.pointSiteId).length);

    // A short live run; every parcel it starts within the first seconds must reach the service.
    const counters = await simulator.simulate({
      county: COUNTY,
      rate: 40,
      duration: 8,
      timeCompression: 1000,
      ordersRate: 2,
      httpCarriers: ['JD'],
      warmUp: true,
    });
    expect(counters.kafkaScans + counters.httpScans).toBeGreaterThan(200);
    expect(counters.httpScans).toBeGreaterThan(0);
    expect(counters.orders).toBeGreaterThan(5);
    expect(counters.errors + counters.ordersRejected + counters.httpRejected).toBe(0);

    // The parcels of the county show up in the tracking view (via the Kafka door's consumer).
    const client = new Client({ ...stack.postgres, database: 'parcels' });
    await client.connect();
    try {
      const parcel = await http.eventually(
        'a delivered parcel of the demo county is stored',
        async () => {
          const rows = await client.query<{ carrier: string; waybill_no: string }>(
            `SELECT carrier, waybill_no FROM parcel
           WHERE destination_division_code LIKE $1 AND status = 'delivered' LIMIT 1`,
            [`${COUNTY}%`],
          );
          return rows.rows[0];
        },
      );
      const tracking = await http.request<{ scans: unknown[] }>(
        'GET',
        `${settings.services.parcels}/v1/parcels/${parcel.carrier}/${parcel.waybill_no}`,
        { token },
      );
      expect(tracking.scans.length).toBeGreaterThanOrEqual(3);
      const orders = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM sales_order WHERE order_no LIKE $1`,
        [`L${COUNTY}%`],
      );
      expect(Number(orders.rows[0].n)).toBeGreaterThan(5);
    } finally {
      await client.end();
    }
  });
});
