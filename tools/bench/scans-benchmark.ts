/**
 * `npm run bench:scans [-- --parcels N] [-- --rate R]`: the scan pipeline's throughput and latency
 * against the same machine's raw Kafka produce+consume rate (SPEC 8). See apps/parcels/README.md.
 *
 * 1. Raw baseline: the same serialized scans produced to a throwaway topic (12 partitions) through
 *    the platform's KafkaGateway and consumed back by a plain consumer that does nothing else.
 * 2. End to end: the built parcels service (dist/) as its own process on a throwaway database and
 *    consumer-group prefix, reading a scan topic of the run's own (SCANS_TOPIC, deleted afterwards,
 *    so the shared parcels.scans.v1 is never touched); done when every distinct scan is stored. Latency: lifecycle outbox row's created_at minus the time the scan with that status was
 *    handed to the producer.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { TOPICS } from '@ecomlog/contracts';
import { KafkaGateway, type OutgoingRecord } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { ServiceProcess, stack, uniqueSuffix } from '@ecomlog/testing';
import { createRandom } from '../demo/generators';
import { printTable, runMain } from './bench-cli';
import { produceRecords, rawKafkaRate } from './raw-kafka';

const LIFECYCLE_TYPE = 'cn.ecomlog.parcels.status-changed.v1';
const HOUR = 3600 * 1000;

interface Options {
  parcels: number;
  rate: number | null;
}

interface BenchScan {
  waybillNo: string;
  status: string;
  record: OutgoingRecord;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { parcels: 20000, rate: null };
  for (let i = 0; i < argv.length; i += 1) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--parcels' && Number.isInteger(value) && value > 0) options.parcels = value;
    else if (argv[i] === '--rate' && value > 0) options.rate = value;
    else continue;
    i += 1;
  }
  return options;
}

const CARRIERS: Record<string, Record<string, string>> = {
  ZTO: {
    created: 'CREATE',
    picked_up: '揽收',
    in_transit: '发件',
    at_hub: '到件',
    out_for_delivery: '派件',
    at_pickup_point: '驿站入库',
    delivered: '签收',
  },
  YTO: {
    created: 'created',
    picked_up: 'kuaidi100:1',
    in_transit: 'kuaidi100:0',
    at_hub: 'at_hub',
    out_for_delivery: 'kuaidi100:5',
    at_pickup_point: 'at_pickup_point',
    delivered: 'kuaidi100:3',
  },
  STO: {
    created: 'created',
    picked_up: 'picked_up',
    in_transit: 'in_transit',
    at_hub: 'at_hub',
    out_for_delivery: 'out_for_delivery',
    at_pickup_point: 'at_pickup_point',
    delivered: 'delivered',
  },
};
const DIVISIONS = ['330782000000', '330782100000', '640521100201', '640521000000', '110101000000'];

/**
 * Realistic lifecycles compressed in produce time: event times over the last three days with
 * hours between stages, 15% of parcels still under way, 10% through a pickup point, 3% of scans
 * sent twice, 5% of parcels with two scans swapped; all produced in event-time order.
 */
function generateScans(parcels: number, run: string): { scans: BenchScan[]; distinct: number } {
  const rnd = createRandom(parcels);
  const base = Date.now() - 3 * 24 * HOUR;
  const all: { at: number; order: number; scan: BenchScan }[] = [];
  let distinct = 0;
  let order = 0;
  const carriers = Object.keys(CARRIERS);
  for (let i = 0; i < parcels; i += 1) {
    const carrier = carriers[i % carriers.length];
    const waybillNo = `BN${run}${String(i).padStart(7, '0')}`;
    const origin = DIVISIONS[Math.floor(rnd() * 2)];
    const destination = DIVISIONS[2 + Math.floor(rnd() * 3)];
    const stages = ['created', 'picked_up', 'in_transit', 'at_hub', 'out_for_delivery'];
    if (rnd() < 0.1) stages.push('at_pickup_point');
    stages.push('delivered');
    const stop = rnd() < 0.15 ? 2 + Math.floor(rnd() * 4) : stages.length;
    const gaps = [0, 1, 2, 6, 2, 1, 1];
    let at = base + rnd() * 24 * HOUR;
    const parcelScans: { at: number; scan: BenchScan }[] = [];
    stages.slice(0, stop).forEach((status, n) => {
      at += gaps[n] * HOUR * (0.5 + rnd()) + rnd() * 60_000;
      const value = JSON.stringify({
        scanId: `${waybillNo}-${n + 1}`,
        carrier,
        waybillNo,
        status: CARRIERS[carrier][status],
        occurredAt: new Date(at).toISOString().replace('Z', '+00:00'),
        divisionCode: n < 2 ? origin : n < 4 ? DIVISIONS[1] : destination,
        ...(n === 0 ? { origin, destination, weightGrams: 200 + Math.floor(rnd() * 5000) } : {}),
      });
      const scan = {
        waybillNo,
        status,
        record: { topic: TOPICS.parcelScans.name, key: waybillNo, value, headers: {} },
      };
      parcelScans.push({ at, scan });
      distinct += 1;
      if (rnd() < 0.03) parcelScans.push({ at: at + rnd() * HOUR, scan }); // sent twice
    });
    if (parcelScans.length > 2 && rnd() < 0.05) {
      const k = 1 + Math.floor(rnd() * (parcelScans.length - 2));
      [parcelScans[k].at, parcelScans[k + 1].at] = [parcelScans[k + 1].at, parcelScans[k].at];
    }
    for (const p of parcelScans) all.push({ ...p, order: (order += 1) });
  }
  all.sort((a, b) => a.at - b.at || a.order - b.order);
  return { scans: all.map((a) => a.scan), distinct };
}

interface Measured {
  count: number;
  produceMs: number;
  totalMs: number;
}

interface EndToEnd extends Measured {
  distinct: number;
  stored: number;
  events: number;
  p50: number;
  p99: number;
}

async function endToEnd(
  kafka: KafkaGateway,
  scans: BenchScan[],
  distinct: number,
  run: string,
  options: Options,
): Promise<EndToEnd> {
  const database = `bench_parcels_${run}`;
  const scansTopic = benchScansTopic(run);
  const settings = { ...stack.postgres, database };
  await ensureDatabaseExists(settings);
  const env = {
    CONSUMER_GROUP_PREFIX: `bench-${run}-`,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const db = new Client({ ...stack.postgres, database });
  let service: ServiceProcess | undefined;
  try {
    // The service reads a scan topic of this run's own (SCANS_TOPIC), created here and deleted
    // afterwards: the benchmark never writes into, or trims, the shared parcels.scans.v1.
    await createBenchTopics(kafka, scansTopic);
    await db.connect();
    service = await ServiceProcess.create('parcels', database, {
      ...env,
      CONSUMERS_ENABLED: 'true',
      SCANS_TOPIC: scansTopic,
      CARRIER_DOORS_ENABLED: 'false',
    });
    await service.start();
    // Give the group a moment to join (an empty topic tail produces no batch to observe).
    await new Promise((resolve) => setTimeout(resolve, 4000));

    const producedAt = new Map<string, number>();
    const started = Date.now();
    const polling = pollUntil(db, distinct, `BN${run.toUpperCase()}%`);
    polling.catch(() => undefined); // awaited below; a produce failure must not leave it unhandled
    await produceRecords(
      kafka,
      scans.map((s) => ({ ...s.record, topic: scansTopic })),
      options.rate,
      (from, to, at) => {
        for (let i = from; i < to; i += 1) {
          const key = `${scans[i].waybillNo}|${scans[i].status}`;
          if (!producedAt.has(key)) producedAt.set(key, at);
        }
      },
    );
    const produceMs = Date.now() - started;
    const stored = await polling;
    const totalMs = Date.now() - started;

    const rows = await db.query<{ k: string; s: string; t: string }>(
      `SELECT message_key AS k, payload->>'status' AS s,
              (extract(epoch FROM created_at) * 1000)::bigint::text AS t
       FROM outbox_event WHERE event_type = $1`,
      [LIFECYCLE_TYPE],
    );
    const latencies = rows.rows
      .flatMap((row) => {
        const sent = producedAt.get(`${row.k}|${row.s}`);
        return sent === undefined ? [] : [Number(row.t) - sent];
      })
      .sort((a, b) => a - b);
    const pct = (p: number): number =>
      latencies.length
        ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]
        : NaN;
    return {
      count: scans.length,
      distinct,
      stored,
      produceMs,
      totalMs,
      events: rows.rows.length,
      p50: pct(50),
      p99: pct(99),
    };
  } finally {
    await service?.stop();
    await db.end().catch(() => undefined);
    await dropDatabaseIfExists(settings);
  }
}

/** Counts only this run's waybills: other producers may write to the shared topic meanwhile. */
async function pollUntil(db: Client, distinct: number, waybills: string): Promise<number> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM scan WHERE waybill_no LIKE $1',
      [waybills],
    );
    if (rows[0].n >= distinct) return rows[0].n;
    if (Date.now() > deadline)
      throw new Error(`only ${rows[0].n} of ${distinct} scans stored after 150 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const benchScansTopic = (run: string): string => `parcels.bench-scans.${run}`;

/** The run's scan topic, partitioned like parcels.scans.v1, and its dead-letter topic. */
async function createBenchTopics(kafka: KafkaGateway, topic: string): Promise<void> {
  await kafka.withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: TOPICS.parcelScans.partitions, replicationFactor: 1 },
        { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor: 1 },
      ],
    }),
  );
}

async function deleteBenchTopics(kafka: KafkaGateway, topic: string): Promise<void> {
  try {
    await kafka.withAdmin((admin) => admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }));
  } catch (error) {
    console.warn(`could not delete ${topic}: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const run = uniqueSuffix();
  const kafka = new KafkaGateway(
    stack.kafkaBrokers,
    `bench-${run}`,
    createLogger('bench', 'error'),
    stack.kafkaAdmin,
  );
  try {
    const { scans, distinct } = generateScans(options.parcels, run.toUpperCase());
    console.log(
      `scans benchmark ${run}: ${options.parcels} parcels, ${scans.length} scan messages (${distinct} distinct), rate ${options.rate ?? 'unpaced'}`,
    );
    // Its own client: a producer keeps refreshing metadata of a deleted topic it once wrote to.
    const rawKafka = new KafkaGateway(
      stack.kafkaBrokers,
      `bench-raw-${run}`,
      createLogger('bench', 'error'),
      stack.kafkaAdmin,
    );
    const raw = await rawKafkaRate(
      rawKafka,
      scans.map((s) => s.record),
      `bench.raw-scans.${run}`,
      options.rate,
    ).finally(() => rawKafka.disconnect());
    console.log(`raw Kafka baseline done in ${raw.totalMs} ms`);
    let e2e: EndToEnd;
    try {
      e2e = await endToEnd(kafka, scans, distinct, run, options);
    } finally {
      await deleteBenchTopics(kafka, benchScansTopic(run));
    }
    const rate = (m: Measured): number => Math.round((m.count / m.totalMs) * 1000);
    const rawRate = rate(raw);
    const e2eRate = rate(e2e);
    const rows: [string, string, string][] = [
      ['measure', 'raw Kafka', 'end to end (parcels)'],
      ['messages', String(raw.count), String(e2e.count)],
      ['produce time (ms)', String(raw.produceMs), String(e2e.produceMs)],
      ['first produce → all consumed/stored (ms)', String(raw.totalMs), String(e2e.totalMs)],
      ['throughput (msgs/s)', String(rawRate), String(e2eRate)],
      ['distinct scans stored', '-', `${e2e.stored} / ${e2e.distinct}`],
      ['stored scans/s', '-', String(Math.round((e2e.stored / e2e.totalMs) * 1000))],
      ['lifecycle events (outbox)', '-', String(e2e.events)],
      ['latency p50 produce → outbox (ms)', '-', String(e2e.p50)],
      ['latency p99 produce → outbox (ms)', '-', String(e2e.p99)],
      ['ratio end-to-end / raw', '-', (e2eRate / rawRate).toFixed(2)],
    ];
    printTable(rows);
  } finally {
    await kafka.disconnect();
  }
}

runMain(main);
