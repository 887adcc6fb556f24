import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import {
  CREDIT_CODE_ALPHABET,
  IndicatorCellChanged,
  creditCodeCheckCharacter,
  type IndicatorCellChangedV1,
} from '@ecomlog/contracts';
import { KafkaGateway, encodeHeaders } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { ServiceProcess, adminToken, stack, uniqueSuffix, waitFor } from '@ecomlog/testing';

/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) against
 * the five built services and the dashboard as processes on the real stack: an official of a
 * county of this run's own logs in, picks a town, watches indicator values change while orders
 * stream in, opens the coverage gaps and tracks a parcel. Screenshots go to
 * apps/dashboard/screenshots/ (git-ignored).
 *
 * Prerequisites: the stack is up (npm run stack:up), `npm run build` has built dist/, and
 * /usr/bin/chromium exists (tools/ensure-chromium.sh).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', 'screenshots');
const SERVICES = ['registry', 'sites', 'parcels', 'funds', 'analytics'] as const;
type Service = (typeof SERVICES)[number];

const suffix = uniqueSuffix();
const run = suffix.toLowerCase().replace(/[^a-z0-9]/g, '');
// A county of its own: province 9x, city and county numbers no real division uses.
const random2 = (from: number): string =>
  String(from + Math.floor(Math.random() * (100 - from))).padStart(2, '0');
const county = `9${Math.floor(Math.random() * 10)}${random2(50)}${random2(1)}`;
const codes = {
  province: `${county.slice(0, 2)}0000000000`,
  city: `${county.slice(0, 4)}00000000`,
  county: `${county}000000`,
};
const TOWNS = [
  { code: `${county}101000`, name: '东风镇' },
  { code: `${county}102000`, name: '红旗镇' },
  { code: `${county}103000`, name: '向阳镇' },
];
const villagesOf = (town: string): { code: string; name: string }[] =>
  ['一村', '二村', '三村'].map((name, v) => ({
    code: `${town.slice(0, 9)}${201 + v}`,
    name: `${TOWNS.find((t) => t.code === town)?.name ?? ''}${name}`,
  }));
const TOWN = TOWNS[0];
const PLATFORM = `tb${run}`.slice(0, 30);
const SHOP = `shop-${run}`;
const WAYBILL = `73${Date.now().toString().slice(-10)}`;
const SCANS_TOPIC = `parcels.browser-scans.${suffix}`;

async function withKafka<T>(work: (kafka: KafkaGateway) => Promise<T>): Promise<T> {
  const kafka = new KafkaGateway(
    stack.kafkaBrokers,
    'dashboard-browser-test',
    createLogger('test', 'warn'),
    stack.kafkaAdmin,
  );
  try {
    return await work(kafka);
  } finally {
    await kafka.disconnect();
  }
}

let serial = 0;
function creditCode(): string {
  serial += 1;
  const random = Array.from(
    { length: 8 },
    () => CREDIT_CODE_ALPHABET[Math.floor(Math.random() * CREDIT_CODE_ALPHABET.length)],
  ).join('');
  const first17 = `91${county}${random}${CREDIT_CODE_ALPHABET[serial % 31]}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/** An ISO instant with the Asia/Shanghai offset, `minutesAgo` before now. */
function shanghaiTime(minutesAgo = 0): string {
  const shifted = new Date(Date.now() - minutesAgo * 60000 + 8 * 3600000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

/** Today's month in Asia/Shanghai, as an indicator period (YYYYMM). */
function shanghaiMonth(): string {
  return shanghaiTime().slice(0, 7).replace('-', '');
}

describe('dashboard in a browser', () => {
  const processes = new Map<Service, ServiceProcess>();
  const unavailable: string[] = [];
  let dashboard: ServiceProcess;
  let admin: string;
  let platformToken: string;
  let browser: Browser;
  let page: Page;
  let producer: NodeJS.Timeout | undefined;
  let ordersPosted = 0;
  const official = { username: `official-${run}`, password: '' };
  let fundsSeeded = false;

  async function call<T = Record<string, unknown>>(
    service: Service,
    method: string,
    path: string,
    body?: unknown,
    token = admin,
  ): Promise<T> {
    const base = processes.get(service)?.baseUrl;
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`${service} ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async function clientToken(clientId: string, secret: string): Promise<string> {
    const response = await fetch(`${processes.get('registry')?.baseUrl}/v1/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    if (response.status !== 200) throw new Error(`token: ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function enterprise(
    name: string,
    kinds: string[],
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const created = await call('registry', 'POST', '/v1/enterprises', {
      creditCode: creditCode(),
      name,
      kinds,
      registeredDivisionCode: TOWN.code,
      registeredOn: '2020-03-01',
      taxRegisteredLocally: true,
      independentLegalEntity: true,
      ...extra,
    });
    return created.id as string;
  }

  /** One paid order of the retailer's shop, dated now. */
  function order(orderNo: string, amountFen: number): Record<string, unknown> {
    return {
      platform: PLATFORM,
      orderNo,
      revision: 1,
      shopId: SHOP,
      sellerDivisionCode: TOWN.code,
      buyerDivisionCode: '330106000000',
      placedAt: shanghaiTime(1),
      paidAt: shanghaiTime(0),
      amountFen,
      items: [
        {
          sku: 'GQ-500',
          name: '枸杞 500g',
          category: '枸杞',
          quantity: 1,
          amountFen,
          agricultural: true,
        },
      ],
      waybills: [],
      status: 'paid',
    };
  }

  async function postOrder(): Promise<string> {
    ordersPosted += 1;
    const report = await call<{ results: { outcome: string; reason?: string }[] }>(
      'parcels',
      'POST',
      '/v1/orders',
      { orders: [order(`B-${run}-${ordersPosted}`, 10000 + ordersPosted * 137)] },
      platformToken,
    );
    return report.results[0].outcome === 'accepted'
      ? 'accepted'
      : (report.results[0].reason ?? 'rejected');
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const service of SERVICES) {
      await ensureDatabaseExists({ ...stack.postgres, database: `browser_${service}_${suffix}` });
    }
    const registry = await ServiceProcess.create('registry', `browser_registry_${suffix}`);
    processes.set('registry', registry);
    await registry.start();
    // Scans go to a topic of this run: a fresh parcels database would otherwise first replay
    // everything couriers (and the demo simulator) ever wrote to parcels.scans.v1.
    await withKafka((kafka) =>
      kafka.withAdmin((admin) =>
        admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: SCANS_TOPIC, numPartitions: 3 }],
        }),
      ),
    );
    for (const service of SERVICES.filter((s) => s !== 'registry')) {
      processes.set(
        service,
        await ServiceProcess.create(service, `browser_${service}_${suffix}`, {
          AUTH_JWKS_URL: registry.jwksUrl,
          CONSUMER_GROUP_PREFIX: `browser-${suffix}.`,
          ...(service === 'parcels' ? { SCANS_TOPIC, CARRIER_DOORS_ENABLED: 'false' } : {}),
        }),
      );
    }
    // One at a time, with up to three tries each: on a loaded machine four services booting at once
    // can miss the 60 s readiness window. Funds or analytics that never get ready are recorded and
    // the test goes on: the dashboard must then say so in words.
    for (const service of SERVICES.filter((s) => s !== 'registry')) {
      for (let attempt = 1; ; attempt++) {
        try {
          await processes.get(service)?.start();
          break;
        } catch (error) {
          await processes.get(service)?.stop();
          if (attempt < 3) continue;
          if (service === 'sites' || service === 'parcels') throw error;
          unavailable.push(`${service}: ${(error as Error).message}`);
          break;
        }
      }
    }
    dashboard = await ServiceProcess.create('dashboard', `browser_dashboard_${suffix}`, {
      AUTH_JWKS_URL: registry.jwksUrl,
      CONSUMER_GROUP_PREFIX: `browser-${suffix}.`,
      ...Object.fromEntries(
        SERVICES.map((s) => [`${s.toUpperCase()}_URL`, processes.get(s)?.baseUrl ?? '']),
      ),
    });
    await dashboard.start();

    // The county, its towns and villages, an official of the county, enterprises, clients.
    admin = await adminToken(registry);
    await call('registry', 'PUT', `/v1/divisions/${codes.province}`, { name: '测试省' });
    await call('registry', 'PUT', `/v1/divisions/${codes.city}`, { name: '测试市' });
    await call('registry', 'PUT', `/v1/divisions/${codes.county}`, { name: `浏览器县${run}` });
    for (const town of TOWNS) {
      await call('registry', 'PUT', `/v1/divisions/${town.code}`, { name: town.name });
      for (const village of villagesOf(town.code))
        await call('registry', 'PUT', `/v1/divisions/${village.code}`, { name: village.name });
    }
    const created = await call<{ initialPassword: string }>('registry', 'POST', '/v1/officials', {
      username: official.username,
      displayName: '县商务局 测试',
      roles: ['commerce'],
      regionPrefix: county,
    });
    official.password = created.initialPassword;

    const retailer = await enterprise('东风镇枸杞专业合作社', [
      'ecommerce_retailer',
      'cooperative',
    ]);
    await call('registry', 'POST', `/v1/enterprises/${retailer}/shops`, {
      platform: PLATFORM,
      shopId: SHOP,
      name: '东风枸杞旗舰店',
    });
    const platform = await enterprise('测试电商平台', ['platform']);
    const courier = await enterprise('中通快递东风网点', ['courier'], { carrierCode: 'ZTO' });
    const platformClient = await call<{ clientId: string; clientSecret: string }>(
      'registry',
      'POST',
      '/v1/clients',
      { name: 'platform', kind: 'platform', enterpriseId: platform, platformCode: PLATFORM },
    );
    platformToken = await clientToken(platformClient.clientId, platformClient.clientSecret);
    const courierClient = await call<{ clientId: string; clientSecret: string }>(
      'registry',
      'POST',
      '/v1/clients',
      { name: 'courier', kind: 'courier', enterpriseId: courier, carrierCode: 'ZTO' },
    );
    const courierToken = await clientToken(courierClient.clientId, courierClient.clientSecret);

    // A fund program with ¥8,000,000 allocated from a ¥10,000,000 county source.
    if (!unavailable.some((reason) => reason.startsWith('funds'))) {
      const year = Number(shanghaiTime().slice(0, 4));
      const source = await call('funds', 'POST', '/v1/sources', {
        name: '县级电商专项资金',
        level: 'county',
        budgetYear: year,
        divisionCode: codes.county,
        amountFen: 1_000_000_000,
      });
      const program = await call('funds', 'POST', '/v1/programs', {
        name: '电子商务进农村综合示范',
        year,
        divisionCode: codes.county,
      });
      await call('funds', 'POST', '/v1/allocations', {
        sourceId: source.id,
        programId: program.id,
        amountFen: 800_000_000,
      });
      fundsSeeded = true;
    }

    // One town station (东风镇): the other two towns are the 补白 list.
    await waitFor(
      'sites to learn the county and the operator from the registry topics',
      async () => {
        try {
          await call('sites', 'GET', `/v1/known-divisions/${TOWN.code}`);
          return true;
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 120000, intervalMs: 1000 },
    );
    await waitFor(
      'sites to accept the town station (operator known)',
      async () => {
        try {
          await call('sites', 'POST', '/v1/sites', {
            name: '东风镇快递服务站',
            kind: 'town_service_station',
            divisionCode: TOWN.code,
            operatorEnterpriseId: retailer,
            status: 'operating',
          });
          return true;
        } catch (error) {
          if (/409|already/.test((error as Error).message)) return true;
          return undefined;
        }
      },
      { timeoutMs: 120000, intervalMs: 1000 },
    );

    // A parcel picked up in 东风镇 and delivered in 红旗镇.
    const village = villagesOf(TOWN.code)[0].code;
    const destination = villagesOf(TOWNS[1].code)[0].code;
    const scan = (n: number, status: string, minutesAgo: number) => ({
      scanId: `${WAYBILL}-${n}`,
      carrier: 'ZTO',
      waybillNo: WAYBILL,
      status,
      occurredAt: shanghaiTime(minutesAgo),
      divisionCode: n === 1 ? village : destination,
      origin: village,
      destination,
    });
    await call(
      'parcels',
      'POST',
      '/v1/scans',
      {
        scans: [
          scan(1, 'picked_up', 180),
          scan(2, 'in_transit', 120),
          scan(3, 'out_for_delivery', 30),
          scan(4, 'delivered', 5),
        ],
      },
      courierToken,
    );

    // Orders start once parcels knows the shop (it learns it from the registry topic).
    await waitFor('parcels to accept an order of the new shop', async () =>
      (await postOrder()) === 'accepted' ? true : undefined,
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  });

  afterAll(async () => {
    if (producer) clearInterval(producer);
    await browser?.close();
    await dashboard?.stop();
    await Promise.all([...processes.values()].map((p) => p.stop()));
    for (const service of SERVICES)
      await dropDatabaseIfExists({ ...stack.postgres, database: `browser_${service}_${suffix}` });
    await withKafka((kafka) =>
      kafka.withAdmin((admin) => admin.deleteTopics({ topics: [SCANS_TOPIC] })),
    ).catch(() => undefined);
  });

  it('logs in as an official and shows roles and region', async () => {
    if (unavailable.length > 0) console.warn(`started without: ${unavailable.join('; ')}`);
    await page.goto(dashboard.baseUrl);
    await page.getByTestId('login-username').fill(official.username);
    await page.getByTestId('login-password').fill('wrong password');
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('login-error'), /登录失败/);

    await page.getByTestId('login-password').fill(official.password);
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('session-user'), new RegExp(`商务.*${county}`));
    await expectText(page.getByTestId('region-current'), `浏览器县${run}`);
    await screenshot('01-county');
  });

  it('picks a town along the division tree', async () => {
    await waitFor('the town list', async () =>
      (await page.getByTestId('region-select').locator('option').count()) > TOWNS.length
        ? true
        : undefined,
    );
    await page.getByTestId('region-select').selectOption({ value: TOWN.code });
    await expectText(page.getByTestId('region-current'), TOWN.name);
    // The cards stand at once saying they are loading, then show a value or "—" (or the page says
    // in words that analytics is unavailable) — never empty.
    await expectText(page.getByTestId('value-retail_sales'), /\S/);
    await waitFor(
      'the cards to leave their loading state',
      async () =>
        (await page.getByTestId('value-retail_sales').getAttribute('aria-busy')) === null
          ? true
          : undefined,
      { timeoutMs: 120000, intervalMs: 500 },
    );
    await screenshot('02-town');
  });

  it('shows a cell published on the indicator topic without a reload', async () => {
    await expectText(page.getByTestId('live-status'), '实时更新中');
    // A cell of an indicator this test's data never moves, so nothing else overwrites it; its
    // version is far above what analytics would give a fresh cell.
    const cell: IndicatorCellChangedV1 = {
      indicator: 'training_attendees',
      divisionCode: TOWN.code,
      period: shanghaiMonth(),
      scope: null,
      value: 12345,
      numerator: null,
      denominator: null,
      unit: 'count',
      version: 1_000_000_000,
      computedAt: new Date().toISOString(),
    };
    await withKafka((kafka) =>
      kafka.publish([
        {
          topic: IndicatorCellChanged.topic.name,
          key: IndicatorCellChanged.key(cell),
          value: JSON.stringify(cell),
          headers: encodeHeaders({
            id: randomUUID(),
            source: 'dashboard-browser-test',
            type: IndicatorCellChanged.type,
            specversion: '1.0',
            time: new Date().toISOString(),
            subject: IndicatorCellChanged.subject(cell),
          }),
        },
      ]),
    );
    await expectText(page.getByTestId('value-training_attendees'), '12,345');
  });

  it('sees retail sales change while orders stream in (needs the analytics service)', async () => {
    // Order facts go to the shared parcels.orders.v1 and cells come back on the shared indicator
    // topic, so any analytics instance on this broker (this test's, or the stack's own) moves it.
    const before = await page.getByTestId('value-retail_sales').innerText();
    producer = setInterval(() => {
      postOrder().catch(() => undefined);
    }, 1500);
    await waitFor(
      `the 网络零售额 card to change from "${before}" via the live feed (analytics must publish retail_sales cells for ${TOWN.code}, period ${shanghaiMonth()})`,
      async () => {
        const now = await page.getByTestId('value-retail_sales').innerText();
        return now !== before && now !== '—' ? true : undefined;
      },
      { timeoutMs: 120000, intervalMs: 500 },
    );
    const first = await page.getByTestId('value-retail_sales').innerText();
    await waitFor(
      'a second live change of 网络零售额',
      async () =>
        (await page.getByTestId('value-retail_sales').innerText()) !== first ? true : undefined,
      { timeoutMs: 60000, intervalMs: 500 },
    );
    await screenshot('03-live');
  });

  it('lists the towns still without a station, with the ratio', async () => {
    clearInterval(producer);
    await page
      .getByTestId('region-trail')
      .getByRole('button', { name: `浏览器县${run}` })
      .click();
    await expectText(page.getByTestId('region-current'), `浏览器县${run}`);
    await page.getByTestId('tab-coverage').click();
    const towns = page.getByTestId('coverage-towns');
    await expectText(towns, /覆盖率 33\.3%/);
    await expectText(towns, '已覆盖 1 / 共 3');
    const listed = await page
      .getByTestId('gaps-towns')
      .locator('tbody tr td:first-child')
      .allInnerTexts();
    expect(listed).toEqual(['红旗镇', '向阳镇']);
    await expectText(page.getByTestId('coverage-villagePoints'), '覆盖率 0.0%');
    await screenshot('04-coverage');
  });

  it('tracks a parcel by carrier and waybill', async () => {
    await page.getByTestId('tab-tracking').click();
    await page.getByTestId('tracking-carrier').selectOption('ZTO');
    await page.getByTestId('tracking-waybill').fill('NO-SUCH-1');
    await page.getByTestId('tracking-submit').click();
    await expectText(page.getByTestId('tracking-result'), /出错了：No parcel ZTO NO-SUCH-1/);

    await waitFor(
      'parcels to consume the scans',
      async () => {
        await call('parcels', 'GET', `/v1/parcels/ZTO/${WAYBILL}`);
        return true;
      },
      { timeoutMs: 120000, intervalMs: 1000 },
    );
    await page.getByTestId('tracking-waybill').fill(WAYBILL);
    await page.getByTestId('tracking-submit').click();
    await expectText(page.getByTestId('tracking-status'), '已签收');
    await expectText(page.getByTestId('tracking-origin'), villagesOf(TOWN.code)[0].code);
    expect(await page.getByTestId('tracking-scans').locator('tbody tr').count()).toBe(4);
    await screenshot('05-tracking');
  });

  it('shows the fund programs or says in words why it cannot', async () => {
    await page.getByTestId('tab-funds').click();
    await waitFor('the funds view to leave its loading state', async () =>
      (await page.getByTestId('funds').locator('[data-state="loading"]').count()) === 0
        ? true
        : undefined,
    );
    const text = await page.getByTestId('funds').innerText();
    if (fundsSeeded) {
      const row = page.getByTestId('funds-programs').locator('tbody tr').first();
      await expectText(row, /电子商务进农村综合示范[\s\S]*800\.00 万元[\s\S]*0\.00 元[\s\S]*0\.0%/);
    } else {
      expect(text).toMatch(/资金服务暂不可用：/);
    }
    await screenshot('06-funds');
  });

  it('switches to English and fits a tablet', async () => {
    await page.getByTestId('lang-toggle').click();
    await expectText(page.getByTestId('tab-coverage'), 'Coverage gaps');
    await expectText(
      page.getByTestId('session-user'),
      new RegExp(`Roles: Commerce · Region: ${county}`),
    );
    await page.getByTestId('tab-overview').click();
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot('07-tablet-landscape-en');
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot('08-tablet-portrait-en');
  });
});

/** Waits until the element's text matches (Playwright's own expect is not used with jest). */
async function expectText(
  locator: Locator,
  expected: string | RegExp,
  timeoutMs = 30000,
): Promise<void> {
  let last = '';
  try {
    await waitFor(
      `text ${String(expected)}`,
      async () => {
        last = (await locator.innerText({ timeout: 1000 }).catch(() => '')) ?? '';
        const ok = typeof expected === 'string' ? last.includes(expected) : expected.test(last);
        return ok ? true : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } catch {
    throw new Error(`expected ${String(expected)} but the element reads: "${last}"`);
  }
}
