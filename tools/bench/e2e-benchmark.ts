/**
 * `npm run bench [-- --parcels N] [-- --orders N] [-- --rate R] [-- --publish-interval MS]`:
 * the end-to-end benchmark of SPEC 8 (see tools/bench/README.md). Courier scans enter at the Kafka
 * door of parcels and platform orders at its HTTP door; the clock stops when analytics has put
 * every expected indicator cell on analytics.indicators.v1 with its expected value. Prints
 * sustained scans/s end to end, p50/p99 latency from produce to the indicator update on the topic,
 * and the same machine's raw Kafka produce+consume rate measured in the same run, with the ratio.
 * Exits non-zero when a cell ends up with a wrong value.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { KafkaGateway } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { ServiceProcess, stack, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { HttpError, request, type TokenSource } from '../demo/demo-http';
import { demoCreditCode } from '../demo/county-plan';
import { createRandom, shanghaiDay, shanghaiTime } from '../demo/generators';
import { printTable, runMain } from './bench-cli';
import { platformTokens, registerSellers, startFromNow, startPatiently } from './e2e-stack';
import { Profiler } from './e2e-profile';
import {
  BENCH_PLATFORMS,
  benchWorld,
  dayLabel,
  orderWorkload,
  requestCount,
  scanWorkload,
  syntheticCounty,
  type BenchCounty,
  type OrderWorkload,
} from './e2e-workload';
import { createTopics, produceRecords, rawKafkaRate, type RawMeasure } from './raw-kafka';

const INDICATOR_TOPIC = 'analytics.indicators.v1';

interface Options {
  parcels: number;
  orders: number;
  /** Scan messages per second; null = as fast as the producer goes. */
  rate: number | null;
  publishIntervalMs: number;
  profile: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    parcels: Number(process.env.BENCH_PARCELS ?? 20_000),
    orders: NaN,
    rate: Number(process.env.BENCH_RATE ?? 5000) || null,
    publishIntervalMs: Number(process.env.BENCH_PUBLISH_INTERVAL_MS ?? 250),
    profile: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const value = Number(argv[i + 1]);
    const flag = argv[i];
    if (flag === '--profile') options.profile = true;
    else if (flag === '--parcels' && Number.isInteger(value) && value > 0 && value < 1_000_000)
      options.parcels = value;
    else if (flag === '--orders' && Number.isInteger(value) && value >= 0) options.orders = value;
    else if (flag === '--rate' && value >= 0) options.rate = value || null;
    else if (flag === '--publish-interval' && Number.isInteger(value) && value > 0)
      options.publishIntervalMs = value;
    else if (flag !== '--')
      throw new Error(`unknown or invalid option ${flag} ${argv[i + 1] ?? ''}`);
    if (flag !== '--profile' && flag !== '--') i += 1;
  }
  if (Number.isNaN(options.orders)) options.orders = Math.round(options.parcels / 5);
  return options;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One indicator message as it arrived on the topic at the benchmark's consumer. */
interface Arrival {
  key: string;
  value: number | null;
  version: number;
  at: number;
}

/** Reads analytics.indicators.v1 from its current end and keeps the cells of the run's prefixes. */
class IndicatorWatcher {
  readonly arrivals = new Map<string, Arrival>();
  private joined = false;
  private running?: { stop(): Promise<void> };

  constructor(
    private readonly kafka: KafkaGateway,
    private readonly groupId: string,
    private readonly prefixes: string[],
  ) {}

  async start(): Promise<void> {
    this.running = await this.kafka.runConsumer({
      groupId: this.groupId,
      topics: [INDICATOR_TOPIC],
      partitionsConsumedConcurrently: 6,
      startFrom: 'latest',
      startOffsets: async (assigned) => {
        const ends = await this.kafka.withAdmin((admin) =>
          admin.fetchTopicOffsets(INDICATOR_TOPIC),
        );
        this.joined = true;
        return assigned.map(({ topic, partition }) => ({
          topic,
          partition,
          offset: ends.find((e) => e.partition === partition)?.high ?? '0',
        }));
      },
      onBatch: (batch) => {
        const at = Date.now();
        for (const record of batch.records) {
          const id = record.headers.ce_id;
          if (!id || !record.value) continue;
          const cell = JSON.parse(record.value.toString('utf8')) as {
            divisionCode: string;
            value: number | null;
            version: number;
          };
          if (!this.prefixes.some((p) => cell.divisionCode.startsWith(p))) continue;
          this.arrivals.set(id, {
            key: record.key?.toString('utf8') ?? '',
            value: cell.value,
            version: cell.version,
            at,
          });
        }
        batch.markProcessed(batch.records[batch.records.length - 1].offset);
        return Promise.resolve();
      },
    });
    await waitFor('the indicator watcher to join its group', () => Promise.resolve(this.joined), {
      timeoutMs: 60_000,
    });
  }

  async stop(): Promise<void> {
    await this.running?.stop();
  }
}

/** Our analytics' own indicator events (its outbox), to tell them from other analytics instances'. */
interface OwnEvent {
  id: string;
  key: string;
  value: number | null;
  version: number;
  publishedAt: number | null;
}

async function ownEvents(db: Client, keys: string[]): Promise<OwnEvent[]> {
  const { rows } = await db.query<{
    id: string;
    key: string;
    value: string | null;
    version: number;
    published: string | null;
  }>(
    `SELECT event_id AS id, message_key AS key, payload->>'value' AS value,
            (payload->>'version')::int AS version,
            (extract(epoch FROM published_at) * 1000)::bigint::text AS published
     FROM outbox_event WHERE topic = $1 AND message_key = ANY($2::text[])`,
    [INDICATOR_TOPIC, keys],
  );
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    value: r.value === null ? null : Number(r.value),
    version: r.version,
    publishedAt: r.published === null ? null : Number(r.published),
  }));
}

/** Cells whose value in analytics' published_cell differs from what was produced. */
async function wrongCells(
  db: Client,
  expected: Map<string, number>,
): Promise<{ key: string; expected: number; actual: number | null }[]> {
  const { rows } = await db.query<{ cell_key: string; value: string | null }>(
    'SELECT cell_key, value FROM published_cell WHERE cell_key = ANY($1::text[])',
    [[...expected.keys()]],
  );
  const actual = new Map(rows.map((r) => [r.cell_key, r.value === null ? null : Number(r.value)]));
  return [...expected]
    .filter(([key, value]) => actual.get(key) !== value && !(value === 0 && !actual.has(key)))
    .map(([key, value]) => ({ key, expected: value, actual: actual.get(key) ?? null }));
}

interface OrdersPosted {
  requests: number;
  accepted: number;
  /** Requests repeated after a 5xx answer. */
  retries: number;
}

interface OrdersReport {
  accepted: number;
  results: { outcome: string; orderKey: string; reason?: string }[];
}

/**
 * Each platform posts its requests in order on its own connection, spread evenly over
 * `durationMs` (null: back to back). Any rejected or duplicate item fails the run.
 */
async function postOrders(
  parcelsUrl: string,
  tokens: Map<string, TokenSource>,
  load: OrderWorkload,
  durationMs: number | null,
): Promise<OrdersPosted> {
  const started = Date.now();
  const totals = { requests: 0, accepted: 0, retries: 0 };
  await Promise.all(
    [...load.requests].map(async ([platform, list]) => {
      const token = tokens.get(platform);
      if (!token) throw new Error(`no client for platform ${platform}`);
      for (const [index, orders] of list.entries()) {
        if (durationMs !== null) {
          const wait = started + (index / list.length) * durationMs - Date.now();
          if (wait > 0) await sleep(wait);
        }
        let report: OrdersReport | undefined;
        let retried = false;
        while (!report) {
          try {
            report = await request<OrdersReport>('POST', `${parcelsUrl}/v1/orders`, {
              token: await token.token(),
              body: { orders },
            });
          } catch (error) {
            // A 5xx (e.g. a database connection timing out on a loaded machine) is retried and
            // counted; the retry may find orders of the failed attempt already stored.
            if (!(error instanceof HttpError) || error.status < 500 || totals.retries >= 20)
              throw error;
            totals.retries += 1;
            retried = true;
            await sleep(1000);
          }
        }
        const refused = report.results.filter(
          (r) => r.outcome !== 'accepted' && !(retried && r.outcome === 'duplicate'),
        );
        if (refused.length > 0) {
          throw new Error(
            `parcels refused ${refused.length} bench orders, e.g. ${refused[0].orderKey}: ${refused[0].outcome} ${refused[0].reason ?? ''}`,
          );
        }
        totals.requests += 1;
        totals.accepted += report.results.length - refused.length;
      }
    }),
  );
  return totals;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Latency of each pickup: when its cell's published value first reached k (k = its rank among the
 * cell's pickups in produce order) minus when the k-th pickup was handed to the producer.
 */
function pickupLatencies(
  pickups: Map<string, number[]>,
  updates: Map<string, { value: number; at: number }[]>,
): number[] {
  const latencies: number[] = [];
  for (const [key, producedAt] of pickups) {
    const seen = (updates.get(key) ?? []).sort((a, b) => a.at - b.at);
    let u = 0;
    let best = 0;
    for (const [index, sent] of producedAt.entries()) {
      while (u < seen.length && best < index + 1) best = Math.max(best, seen[u++].value);
      if (best < index + 1) break; // never reached: reported by the value check
      latencies.push(Math.max(0, seen[u - 1].at - sent));
    }
  }
  return latencies.sort((a, b) => a - b);
}

/** One pickup scan and one paid order in a county outside every expected cell: wakes every stage. */
async function warmUp(
  kafka: KafkaGateway,
  scansTopic: string,
  parcelsUrl: string,
  token: TokenSource,
  county: BenchCounty,
  run: string,
  analyticsDb: Client,
): Promise<void> {
  const now = Date.now();
  const waybill = `WARM${run.toUpperCase()}`;
  await kafka.publish([
    {
      topic: scansTopic,
      key: waybill,
      headers: {},
      value: JSON.stringify({
        scanId: `${waybill}-1`,
        carrier: 'STO',
        waybillNo: waybill,
        status: 'picked_up',
        occurredAt: shanghaiTime(now - 60_000),
        divisionCode: county.warmUp,
        origin: county.warmUp,
        destination: county.county,
      }),
    },
  ]);
  await request('POST', `${parcelsUrl}/v1/orders`, {
    token: await token.token(),
    body: {
      orders: [
        {
          platform: 'taobao',
          orderNo: `WARM-${run}`,
          revision: 1,
          sellerCreditCode: demoCreditCode(county.county, 'bench-warm-up', '1'),
          sellerDivisionCode: county.warmUp,
          placedAt: shanghaiTime(now - 120_000),
          paidAt: shanghaiTime(now - 60_000),
          amountFen: 990,
          items: [
            {
              sku: 'W',
              name: '预热',
              category: '测试',
              quantity: 1,
              amountFen: 990,
              agricultural: false,
            },
          ],
          status: 'paid',
        },
      ],
    },
  });
  const day = dayLabel(shanghaiDay(now - 60_000));
  const keys = [`parcel_volume|${county.warmUp}|${day}`, `retail_sales|${county.warmUp}|${day}`];
  await waitFor(
    'the warm-up scan and order to reach the indicator topic',
    async () => {
      const { rows } = await analyticsDb.query(
        'SELECT 1 FROM outbox_event WHERE topic = $1 AND message_key = ANY($2::text[]) AND published_at IS NOT NULL',
        [INDICATOR_TOPIC, keys],
      );
      return rows.length >= keys.length;
    },
    { timeoutMs: 180_000, intervalMs: 250 },
  );
}

interface Result {
  raw: RawMeasure;
  scans: number;
  distinctScans: number;
  parcels: number;
  orders: number;
  orderRevisions: number;
  orderRequests: number;
  orderRetries: number;
  produceMs: number;
  totalMs: number;
  cells: number;
  latencies: number[];
  dbLatencies: number[];
  profiler: Profiler;
  lagAtEnd: { totalLag: number; pendingCells: number };
  cycles: { analytics: CycleStats; parcels: CycleStats };
}

interface CycleStats {
  transactions: number;
  eventsMedian: number;
  eventsMax: number;
  /** Transaction start → the row published to Kafka. */
  p50: number;
  p99: number;
}

/** Per outbox transaction (rows sharing created_at = one transaction's start): size and time to Kafka. */
async function cycleStats(db: Client, topic: string, since: number): Promise<CycleStats> {
  const { rows } = await db.query<{ n: number; ms: number }>(
    `SELECT count(*)::int AS n,
            (extract(epoch FROM min(published_at) - created_at) * 1000)::int AS ms
     FROM outbox_event WHERE topic = $1 AND created_at >= to_timestamp($2 / 1000.0)
       AND published_at IS NOT NULL
     GROUP BY created_at`,
    [topic, since],
  );
  const sizes = rows.map((r) => r.n).sort((a, b) => a - b);
  const times = rows.map((r) => r.ms).sort((a, b) => a - b);
  return {
    transactions: rows.length,
    eventsMedian: percentile(sizes, 50),
    eventsMax: sizes[sizes.length - 1] ?? 0,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
  };
}

async function runBenchmark(options: Options, run: string, kafka: KafkaGateway): Promise<Result> {
  const county = syntheticCounty();
  const rnd = createRandom(options.parcels);
  const now = Date.now();
  const world = benchWorld(county, rnd);
  const scanLoad = scanWorkload(world, county, options.parcels, now, rnd);
  const orderLoad = orderWorkload(world, options.orders, run, now, rnd);
  const expected = new Map([...scanLoad.expected, ...orderLoad.expected]);
  console.log(
    `end-to-end benchmark ${run}: county ${county.county} (outside ${county.outsidePrefix}…), ` +
      `${scanLoad.parcels} parcels → ${scanLoad.scans.length} scan messages (${scanLoad.distinct} distinct), ` +
      `${orderLoad.orders} orders (${orderLoad.revisions} revisions in ${requestCount(orderLoad)} requests), ` +
      `${expected.size} expected cells, scans ${options.rate ? `paced at ${options.rate}/s` : 'unpaced'}, ` +
      `publish interval ${options.publishIntervalMs} ms`,
  );

  // Its own client: a producer keeps refreshing metadata of a deleted topic it once wrote to.
  const rawKafka = new KafkaGateway(
    stack.kafkaBrokers,
    `bench-raw-${run}`,
    createLogger('bench', 'fatal'),
    stack.kafkaAdmin,
  );
  const raw = await rawKafkaRate(rawKafka, scanLoad.scans, `bench.raw.${run}`).finally(() =>
    rawKafka.disconnect(),
  );
  console.log(`raw Kafka: ${raw.count} messages produced and consumed in ${raw.totalMs} ms`);

  const databases = {
    registry: `bench_e2e_registry_${run}`,
    parcels: `bench_e2e_parcels_${run}`,
    analytics: `bench_e2e_analytics_${run}`,
  };
  const scansTopic = `parcels.bench-scans.${run}`;
  const groupPrefix = `bench-e2e-${run}.`;
  const services: ServiceProcess[] = [];
  const clients: Client[] = [];
  let watcher: IndicatorWatcher | undefined;
  let profiler: Profiler | undefined;
  try {
    await createTopics(kafka, [
      { topic: scansTopic, partitions: 12 },
      { topic: `${scansTopic}.dlq`, partitions: 1 },
    ]);
    for (const database of Object.values(databases))
      await ensureDatabaseExists({ ...stack.postgres, database });

    const registry = await ServiceProcess.create('registry', databases.registry, {
      RATE_LIMIT_PER_MINUTE: '0',
    });
    services.push(registry);
    await startPatiently(registry);
    const tokens = await platformTokens(registry, county, BENCH_PLATFORMS);
    const common = {
      AUTH_JWKS_URL: registry.jwksUrl,
      CONSUMER_GROUP_PREFIX: groupPrefix,
      RATE_LIMIT_PER_MINUTE: '0',
    };
    const track = (service: ServiceProcess): void => void services.push(service);
    const parcels = await startFromNow(
      kafka,
      'parcels',
      databases.parcels,
      { ...common, SCANS_TOPIC: scansTopic, CARRIER_DOORS_ENABLED: 'false' },
      track,
    );
    // parcels takes only orders of registered sellers in known divisions (SPEC 10.1).
    await registerSellers(registry, databases.parcels, county, world);
    const analytics = await startFromNow(
      kafka,
      'analytics',
      databases.analytics,
      { ...common, INDICATOR_PUBLISH_INTERVAL_MS: String(options.publishIntervalMs) },
      track,
    );
    const analyticsDb = new Client({ ...stack.postgres, database: databases.analytics });
    clients.push(analyticsDb);
    await analyticsDb.connect();
    // A dropped connection (e.g. the database dropped on clean-up) must not crash the process.
    analyticsDb.on('error', () => undefined);

    watcher = new IndicatorWatcher(kafka, `bench-e2e-watch-${run}`, [
      county.prefix,
      county.outsidePrefix,
    ]);
    await watcher.start();
    const taobao = tokens.get('taobao');
    if (!taobao) throw new Error('no taobao client');
    await warmUp(kafka, scansTopic, parcels.baseUrl, taobao, county, run, analyticsDb);
    console.log('services up, consumers joined, warm-up scan and order on the indicator topic');

    profiler = new Profiler({
      kafka,
      analyticsUrl: analytics.baseUrl,
      databases: { parcels: databases.parcels, analytics: databases.analytics },
      scansTopic,
      scanGroup: `${groupPrefix}parcels.scan-ingest`,
    });
    await profiler.start();

    const producedAt: number[] = new Array<number>(scanLoad.scans.length);
    const started = Date.now();
    const durationMs = options.rate ? (scanLoad.scans.length / options.rate) * 1000 : null;
    const [, posted] = await Promise.all([
      produceRecords(
        kafka,
        scanLoad.scans.map((s) => ({ topic: scansTopic, key: s.key, value: s.value, headers: {} })),
        options.rate,
        (from, to, at) => producedAt.fill(at, from, to),
      ),
      postOrders(parcels.baseUrl, tokens, orderLoad, durationMs),
    ]);
    const produceMs = Date.now() - started;
    console.log(
      `produced ${scanLoad.scans.length} scans and posted ${posted.accepted} order revisions in ${produceMs} ms; waiting for the indicators`,
    );

    // Done when this run's analytics has published every expected cell with its expected value.
    const patienceMs = Number(process.env.BENCH_PATIENCE_MS ?? Math.max(180_000, produceMs * 5));
    try {
      await waitFor(
        'every expected cell published with its expected value',
        async () => (await wrongCells(analyticsDb, expected)).length === 0,
        { timeoutMs: patienceMs, intervalMs: 100 },
      );
    } catch (error) {
      const wrong = await wrongCells(analyticsDb, expected);
      throw new Error(
        `${(error as Error).message}: ${wrong.length} of ${expected.size} cells wrong, e.g. ` +
          wrong
            .slice(0, 8)
            .map((w) => `${w.key} expected ${w.expected} got ${w.actual}`)
            .join('; '),
        { cause: error },
      );
    }
    // …and those values have arrived on the topic: only our instance's events count.
    const keys = [...expected.keys()];
    let own: OwnEvent[] = [];
    await waitFor(
      'the final values on analytics.indicators.v1',
      async () => {
        own = await ownEvents(analyticsDb, keys);
        const arrivedFinal = new Set(
          own
            .filter((e) => e.value === expected.get(e.key) && watcher?.arrivals.has(e.id))
            .map((e) => e.key),
        );
        return keys.every((key) => arrivedFinal.has(key) || expected.get(key) === 0);
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const arrivals = watcher.arrivals;
    const updates = new Map<string, { value: number; at: number }[]>();
    const dbUpdates = new Map<string, { value: number; at: number }[]>();
    const latestOnTopic = new Map<string, { version: number; value: number | null }>();
    for (const event of own) {
      const arrival = arrivals.get(event.id);
      if (arrival) {
        const list = updates.get(event.key) ?? [];
        list.push({ value: event.value ?? 0, at: arrival.at });
        updates.set(event.key, list);
        const latest = latestOnTopic.get(event.key);
        if (!latest || event.version > latest.version)
          latestOnTopic.set(event.key, { version: event.version, value: event.value });
      }
      if (event.publishedAt !== null) {
        const list = dbUpdates.get(event.key) ?? [];
        list.push({ value: event.value ?? 0, at: event.publishedAt });
        dbUpdates.set(event.key, list);
      }
    }
    // The end: the last cell's first arrival with its final value.
    let end = started;
    for (const key of keys) {
      const firstFinal = (updates.get(key) ?? [])
        .filter((u) => u.value === expected.get(key))
        .reduce((min, u) => Math.min(min, u.at), Infinity);
      if (Number.isFinite(firstFinal)) end = Math.max(end, firstFinal);
    }
    const wrongOnTopic = keys.filter(
      (key) => expected.get(key) !== 0 && latestOnTopic.get(key)?.value !== expected.get(key),
    );
    if (wrongOnTopic.length > 0) {
      throw new Error(
        `the topic's latest value differs from the produced total for ${wrongOnTopic.length} cells, e.g. ` +
          wrongOnTopic
            .slice(0, 5)
            .map((k) => `${k}: expected ${expected.get(k)}, got ${latestOnTopic.get(k)?.value}`)
            .join('; '),
      );
    }

    const pickups = new Map<string, number[]>();
    scanLoad.scans.forEach((scan, index) => {
      if (!scan.pickupCell) return;
      const list = pickups.get(scan.pickupCell) ?? [];
      list.push(producedAt[index]);
      pickups.set(scan.pickupCell, list);
    });
    for (const list of pickups.values()) list.sort((a, b) => a - b);
    const lagAtEnd = (await (
      await fetch(`${analytics.baseUrl}/v1/analytics/lag`)
    ).json()) as Result['lagAtEnd'];
    await profiler.stop();
    const parcelsDb = new Client({ ...stack.postgres, database: databases.parcels });
    clients.push(parcelsDb);
    await parcelsDb.connect();
    parcelsDb.on('error', () => undefined);
    return {
      raw,
      scans: scanLoad.scans.length,
      distinctScans: scanLoad.distinct,
      parcels: scanLoad.parcels,
      orders: orderLoad.orders,
      orderRevisions: orderLoad.revisions,
      orderRequests: posted.requests,
      orderRetries: posted.retries,
      produceMs,
      totalMs: end - started,
      cells: expected.size,
      latencies: pickupLatencies(pickups, updates),
      dbLatencies: pickupLatencies(pickups, dbUpdates),
      profiler,
      lagAtEnd,
      cycles: {
        analytics: await cycleStats(analyticsDb, INDICATOR_TOPIC, started),
        parcels: await cycleStats(parcelsDb, 'parcels.lifecycle.v1', started),
      },
    };
  } catch (error) {
    if (profiler) {
      await profiler.stop();
      console.log('\nthe run failed; what the profiler saw until then:');
      printProfile(profiler, options);
    }
    throw error;
  } finally {
    await profiler?.stop();
    await watcher?.stop().catch(() => undefined);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    for (const service of services.reverse()) {
      await service.stop().catch((error: unknown) => {
        console.warn(`could not stop ${service.service}: ${(error as Error).message}`);
        return service.kill();
      });
    }
    for (const database of Object.values(databases)) {
      if (process.env.BENCH_KEEP_DATABASES === 'true') {
        console.log(`kept database ${database} (BENCH_KEEP_DATABASES=true)`);
        continue;
      }
      await dropDatabaseIfExists({ ...stack.postgres, database }).catch((error: unknown) =>
        console.warn(`could not drop ${database}: ${(error as Error).message}`),
      );
    }
    await kafka
      .withAdmin((admin) => admin.deleteTopics({ topics: [scansTopic, `${scansTopic}.dlq`] }))
      .catch((error: unknown) =>
        console.warn(`could not delete ${scansTopic}: ${(error as Error).message}`),
      );
  }
}

function report(result: Result, options: Options): void {
  const perSecond = (n: number): number => Math.round((n / result.totalMs) * 1000);
  const scansPerSecond = perSecond(result.scans);
  const ms = (n: number): string => (Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);
  console.log('');
  printTable([
    ['measure', 'value'],
    ['scan messages produced (distinct scans)', `${result.scans} (${result.distinctScans})`],
    ['parcels', String(result.parcels)],
    [
      'orders (revisions, requests, retried after 5xx)',
      `${result.orders} (${result.orderRevisions}, ${result.orderRequests}, ${result.orderRetries})`,
    ],
    ['scan produce rate', options.rate ? `${options.rate}/s paced` : 'unpaced'],
    ['produce time', ms(result.produceMs)],
    ['first produce → indicators current', ms(result.totalMs)],
    ['sustained scans/s end to end', String(scansPerSecond)],
    [
      'sustained events/s (scans + order revisions)',
      String(perSecond(result.scans + result.orderRevisions)),
    ],
    ['latency p50 produce → indicator on topic', ms(percentile(result.latencies, 50))],
    ['latency p99 produce → indicator on topic', ms(percentile(result.latencies, 99))],
    [
      'latency p50 / p99 to outbox published_at',
      `${ms(percentile(result.dbLatencies, 50))} / ${ms(percentile(result.dbLatencies, 99))}`,
    ],
    ['pickups measured', String(result.latencies.length)],
    ['cells checked (all equal to produced totals)', String(result.cells)],
    ['raw Kafka produce+consume msgs/s (same run)', String(result.raw.rate)],
    ['ratio end-to-end / raw', (scansPerSecond / result.raw.rate).toFixed(3)],
    [
      'analytics lag at the end (totalLag / pendingCells)',
      `${result.lagAtEnd.totalLag} / ${result.lagAtEnd.pendingCells}`,
    ],
  ]);

  console.log('\nwhere the time goes (outbox transactions since the first produce):');
  const { analytics, parcels } = result.cycles;
  printTable([
    ['stage', 'transactions', 'events median / max', 'tx start → Kafka p50 / p99'],
    [
      'parcels scan chunks (lifecycle events)',
      String(parcels.transactions),
      `${parcels.eventsMedian} / ${parcels.eventsMax}`,
      `${ms(parcels.p50)} / ${ms(parcels.p99)}`,
    ],
    [
      'analytics publisher cycles (cells)',
      String(analytics.transactions),
      `${analytics.eventsMedian} / ${analytics.eventsMax}`,
      `${ms(analytics.p50)} / ${ms(analytics.p99)}`,
    ],
  ]);

  printProfile(result.profiler, options);
}

/** The lag and CPU timeline and the busiest statements (also printed when a run fails). */
function printProfile(profiler: Profiler, options: Options): void {
  const samples = profiler.samples;
  if (samples.length > 0) {
    const components = Object.keys(samples[samples.length - 1].cpu);
    const step = options.profile ? 1 : Math.max(1, Math.ceil(samples.length / 20));
    const t0 = samples[0].at;
    console.log('\nlag and CPU (% of one core) per second:');
    printTable([
      [
        't (s)',
        'scan lag',
        'parcels outbox',
        'lifecycle lag',
        'orders lag',
        'dirty cells',
        'analytics outbox',
        ...components,
      ],
      ...samples
        .filter((_, i) => i % step === 0 || i === samples.length - 1)
        .map((s) => [
          ((s.at - t0) / 1000).toFixed(0),
          String(s.scanLag),
          String(s.parcelsOutbox),
          String(s.lifecycleLag),
          String(s.ordersLag),
          String(s.pendingCells),
          String(s.analyticsOutbox),
          ...components.map((c) => String(s.cpu[c] ?? '-')),
        ]),
    ]);
    const mean = (c: string): string =>
      String(Math.round(samples.reduce((sum, s) => sum + (s.cpu[c] ?? 0), 0) / samples.length));
    console.log(`mean CPU %: ${components.map((c) => `${c} ${mean(c)}`).join(', ')}`);
  }

  const top = [...profiler.statements]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.profile ? 25 : 12);
  if (top.length > 0) {
    console.log(
      `\nbusiest statements (backends seen running each, averaged over ${profiler.statementSamples} samples at 100 ms; 1.00 = one backend all the time):`,
    );
    printTable([
      ['backends', 'database | wait | statement'],
      ...top.map(([key, n]) => [(n / profiler.statementSamples).toFixed(2), key]),
    ]);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const run = uniqueSuffix();
  const kafka = new KafkaGateway(
    stack.kafkaBrokers,
    `bench-e2e-${run}`,
    createLogger('bench', 'fatal'),
    stack.kafkaAdmin,
  );
  try {
    const result = await runBenchmark(options, run, kafka);
    report(result, options);
  } finally {
    await kafka.disconnect();
  }
}

runMain(main);
