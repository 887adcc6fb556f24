/**
 * `npm run demo:simulate [-- --rate 50] [-- --duration 600] [-- --county 370982]
 *  [-- --time-compression 1000] [-- --orders-rate 0.2] [-- --http-carriers JD]`
 *
 * Streams live traffic for a seeded demo county (npm run demo:seed first) until stopped: courier
 * scan lifecycles (inbound parcels to villages, outbound parcels of county sellers) with their
 * stage delays compressed, and platform orders that are paid, shipped with a waybill (which starts
 * that parcel's lifecycle) and sometimes refunded. Scans go through the Kafka door (plain JSON, key
 * = waybill) and, for the carriers in --http-carriers, through POST /v1/scans with the courier's
 * token; orders through POST /v1/orders with the platform's token. It is also a load generator:
 * --rate is the scans per second it aims at, and it reports what it really sent.
 */
import 'reflect-metadata';
import { CourierDoors } from './courier-doors';
import { HttpError, TokenSource, request, waitReady } from './demo-http';
import { argOf, countyArg, readCredentials, readWorld, services, paths } from './demo-settings';
import {
  REFUND_SHARE,
  between,
  createRandom,
  inboundLifecycle,
  outboundLifecycle,
  paidOrder,
  pickCarrier,
  refundedRevision,
  shippedRevision,
  waybillNo,
  type DemoOrder,
  type DemoWorld,
  type PlannedScan,
  type Random,
} from './generators';

const HOUR = 3_600_000;
/** Average scans of one lifecycle (inbound 6–7, outbound 7, some cut short): paces parcel starts. */
export const SCANS_PER_PARCEL = 5.35;
/** Share of new parcels that are outbound (a county seller's shipment). */
const OUTBOUND_SHARE = 0.3;
const TICK_MS = 500;
const WARM_UP_MAX_PARCELS = 2000;

export interface SimulatorOptions {
  county: string;
  /** Scans per second aimed at. */
  rate: number;
  /** Seconds to run; null = until stopped. */
  duration: number | null;
  /** Real hours between stages are divided by this. */
  timeCompression: number;
  /** Orders per second. */
  ordersRate: number;
  /** Carriers that use the HTTP door instead of Kafka. */
  httpCarriers: string[];
  /** Start as if already running (parcels under way send their earlier scans at once). */
  warmUp: boolean;
}

export function simulatorOptionsFrom(argv: string[]): SimulatorOptions {
  const number = (name: string, fallback: number): number => {
    const value = Number(argOf(argv, name) ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0`);
    return value;
  };
  const rate = number('rate', 50);
  const duration = argOf(argv, 'duration');
  return {
    county: countyArg(argv),
    rate,
    duration: duration === undefined ? null : number('duration', 0),
    timeCompression: Math.max(1, number('time-compression', 1000)),
    // One order every 5 s at the demo's 50 scans/s: enough to move the sales figures every few
    // seconds without dwarfing the backfilled days (~120 orders a day); the outbound parcels
    // without an order are sellers' shipments from elsewhere (their own shops, offline buyers).
    ordersRate: number('orders-rate', rate / 250),
    httpCarriers: (argOf(argv, 'http-carriers') ?? 'JD')
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter((c) => c !== ''),
    warmUp: !argv.includes('--no-warm-up'),
  };
}

/** A min-heap of planned scans by due time. */
export class ScanQueue {
  private readonly heap: PlannedScan[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(...scans: PlannedScan[]): void {
    for (const scan of scans) {
      this.heap.push(scan);
      let i = this.heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.heap[parent].dueAt <= this.heap[i].dueAt) break;
        [this.heap[parent], this.heap[i]] = [this.heap[i], this.heap[parent]];
        i = parent;
      }
    }
  }

  /** Removes and returns every scan due at or before `now`, earliest first. */
  takeDue(now: number): PlannedScan[] {
    const due: PlannedScan[] = [];
    while (this.heap.length > 0 && this.heap[0].dueAt <= now) {
      due.push(this.heap[0]);
      const last = this.heap.pop() as PlannedScan;
      if (this.heap.length === 0) break;
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.heap.length && this.heap[left].dueAt < this.heap[smallest].dueAt)
          smallest = left;
        if (right < this.heap.length && this.heap[right].dueAt < this.heap[smallest].dueAt)
          smallest = right;
        if (smallest === i) break;
        [this.heap[smallest], this.heap[i]] = [this.heap[i], this.heap[smallest]];
        i = smallest;
      }
    }
    return due;
  }
}

interface OrderEvent {
  dueAt: number;
  kind: 'refund';
  key: string;
}

interface Counters {
  kafkaScans: number;
  httpScans: number;
  httpRejected: number;
  orders: number;
  shipped: number;
  refunds: number;
  ordersRejected: number;
  errors: number;
}

/**
 * The traffic of one county: decides each tick what starts (parcels, orders) and what is due
 * (scans, order revisions). Pure apart from `now` and the random stream, so it can be driven by a
 * benchmark or a test without any service.
 */
export class CountyTraffic {
  readonly scans = new ScanQueue();
  /** Paid orders waiting for a parcel, oldest first. */
  private readonly awaitingShipment: DemoOrder[] = [];
  /** Latest revision of orders that may still change (refund planned). */
  private readonly openOrders = new Map<string, DemoOrder>();
  private readonly orderEvents: OrderEvent[] = [];
  private parcelBudget = 0;
  private orderBudget = 0;
  private serial: number;
  private orderSerial: number;

  constructor(
    private readonly world: DemoWorld,
    private readonly options: Pick<SimulatorOptions, 'rate' | 'timeCompression' | 'ordersRate'>,
    private readonly rnd: Random,
    startedAt: number,
  ) {
    // Live numbers start with 1 and count from the clock (history ones start with 2).
    this.serial = 1_000_000_000_000 + (Math.floor(startedAt / 1000) % 1_000_000_000) * 1000;
    this.orderSerial = this.serial;
  }

  /**
   * Starts the parcels that would be under way had the simulator been running for `seconds`
   * already (their earlier scans are due at once), so the stream is at its full rate from the first
   * tick instead of ramping up over a whole lifecycle.
   */
  warmUp(now: number, seconds: number): void {
    // Capped, so that at load-test rates the burst stays a few thousand scans (the rest ramps up).
    const parcels = Math.min(
      WARM_UP_MAX_PARCELS,
      Math.round((this.options.rate / SCANS_PER_PARCEL) * seconds),
    );
    for (let i = 0; i < parcels; i += 1) {
      this.startParcel(now - this.rnd() * seconds * 1000, now, []);
    }
  }

  private startParcel(startAt: number, now: number, orders: DemoOrder[]): void {
    const options = {
      startAt,
      timeCompression: this.options.timeCompression,
      serial: (this.serial += 1),
    };
    if (this.rnd() >= OUTBOUND_SHARE) {
      this.scans.push(...inboundLifecycle(this.world, this.rnd, options));
      return;
    }
    const order = startAt === now ? this.awaitingShipment.shift() : undefined;
    if (!order) {
      this.scans.push(...outboundLifecycle(this.world, this.rnd, options));
      return;
    }
    const seller = this.world.retailers.find((r) =>
      r.shops.some((s) => s.platform === order.platform && s.shopId === order.shopId),
    );
    const carrier = pickCarrier(this.rnd, this.world.carriers);
    const waybill = { carrier: carrier.code, waybillNo: waybillNo(carrier.code, options.serial) };
    const shipped = shippedRevision(order, now, waybill);
    orders.push(shipped);
    if (this.rnd() < REFUND_SHARE * 2) {
      // Refunds come hours to days after shipping (compressed like the scans).
      const key = `${shipped.platform}:${shipped.orderNo}`;
      this.openOrders.set(key, shipped);
      this.orderEvents.push({
        dueAt: now + (between(this.rnd, 2, 48) * HOUR) / this.options.timeCompression,
        kind: 'refund',
        key,
      });
    }
    this.scans.push(
      ...outboundLifecycle(this.world, this.rnd, {
        ...options,
        carrier,
        seller,
        waybillNo: waybill.waybillNo,
      }),
    );
  }

  /** Advances `seconds`: starts parcels and orders; returns the scans and order revisions due. */
  tick(now: number, seconds: number): { scans: PlannedScan[]; orders: DemoOrder[] } {
    const orders: DemoOrder[] = [];
    this.orderBudget += this.options.ordersRate * seconds;
    while (this.orderBudget >= 1) {
      this.orderBudget -= 1;
      const order = paidOrder(this.world, this.rnd, {
        placedAt: now - (between(this.rnd, 1, 15) * 60_000) / this.options.timeCompression,
        orderNo: `L${this.world.county.code.slice(0, 6)}${(this.orderSerial += 1)}`,
      });
      // paidOrder puts payment minutes after placing; live, it has just happened.
      order.paidAt = order.placedAt;
      orders.push(order);
      this.awaitingShipment.push(order);
      if (this.awaitingShipment.length > 5000) this.awaitingShipment.shift();
    }
    this.parcelBudget += (this.options.rate / SCANS_PER_PARCEL) * seconds;
    while (this.parcelBudget >= 1) {
      this.parcelBudget -= 1;
      this.startParcel(now, now, orders);
    }
    for (let i = this.orderEvents.length - 1; i >= 0; i -= 1) {
      const event = this.orderEvents[i];
      if (event.dueAt > now) continue;
      this.orderEvents.splice(i, 1);
      const order = this.openOrders.get(event.key);
      this.openOrders.delete(event.key);
      if (order) orders.push(refundedRevision(order, now, this.rnd() < 0.5));
    }
    return { scans: this.scans.takeDue(now), orders };
  }
}

const log = (message: string): void =>
  console.log(`[demo:simulate] ${new Date().toISOString()} ${message}`);

/** A failure worth trying again: no answer, or a 5xx (e.g. the database restarting). */
function isTransient(error: unknown): boolean {
  return !(error instanceof HttpError) || error.status >= 500;
}

/**
 * Sends due scans through their doors; what fails transiently is handed to `retry` (scans are
 * idempotent by scan id, so a scan that did arrive after all is only a duplicate).
 */
async function sendScans(
  due: PlannedScan[],
  doors: CourierDoors,
  courierTokens: Map<string, TokenSource>,
  counters: Counters,
  retry: (scans: PlannedScan[]) => void,
): Promise<void> {
  const byHttp = new Map<string, PlannedScan[]>();
  const byKafka: PlannedScan[] = [];
  for (const planned of due) {
    if (courierTokens.has(planned.scan.carrier)) {
      byHttp.set(planned.scan.carrier, [...(byHttp.get(planned.scan.carrier) ?? []), planned]);
    } else byKafka.push(planned);
  }
  const jobs: Promise<void>[] = [];
  if (byKafka.length > 0) {
    jobs.push(
      doors.send(byKafka).then(
        () => {
          counters.kafkaScans += byKafka.length;
        },
        (error: unknown) => {
          retry(byKafka);
          throw error;
        },
      ),
    );
  }
  for (const [carrier, list] of byHttp) {
    const source = courierTokens.get(carrier) as TokenSource;
    jobs.push(
      (async () => {
        for (let i = 0; i < list.length; i += 1000) {
          const report = await request<{
            accepted: number;
            duplicates: number;
            rejected: number;
            results: { outcome: string; reason?: string }[];
          }>('POST', `${services.parcels}/v1/scans`, {
            token: await source.token(),
            body: { scans: list.slice(i, i + 1000).map((p) => p.scan) },
          }).catch((error: unknown) => {
            if (isTransient(error)) retry(list.slice(i));
            throw error;
          });
          counters.httpScans += report.accepted + report.duplicates;
          counters.httpRejected += report.rejected;
          const reason = report.results.find((r) => r.outcome === 'rejected')?.reason;
          if (reason) log(`HTTP door rejected ${report.rejected} ${carrier} scans, e.g. ${reason}`);
        }
      })(),
    );
  }
  const results = await Promise.allSettled(jobs);
  for (const result of results) {
    if (result.status === 'rejected') {
      counters.errors += 1;
      log(`sending scans failed: ${String(result.reason)}`);
    }
  }
}

/** Posts order revisions per platform; what fails transiently is handed to `retry`. */
async function sendOrders(
  orders: DemoOrder[],
  platformTokens: Map<string, TokenSource>,
  counters: Counters,
  retry: (orders: DemoOrder[]) => void,
): Promise<void> {
  const byPlatform = new Map<string, DemoOrder[]>();
  for (const order of orders)
    byPlatform.set(order.platform, [...(byPlatform.get(order.platform) ?? []), order]);
  await Promise.all(
    [...byPlatform].map(async ([platform, list]) => {
      const source = platformTokens.get(platform);
      if (!source) return;
      // The service takes at most 1,000 orders a request (a slow tick can gather more).
      for (let i = 0; i < list.length; i += 500) {
        const part = list.slice(i, i + 500);
        try {
          const report = await request<{
            rejected: number;
            results: { outcome: string; reason?: string }[];
          }>('POST', `${services.parcels}/v1/orders`, {
            token: await source.token(),
            body: { orders: part },
          });
          for (const order of part) {
            if (order.revision === 1) counters.orders += 1;
            else if (order.refundedAmountFen) counters.refunds += 1;
            else counters.shipped += 1;
          }
          counters.ordersRejected += report.rejected;
          const reason = report.results.find((r) => r.outcome === 'rejected')?.reason;
          if (reason) log(`${report.rejected} ${platform} orders rejected, e.g. ${reason}`);
          // parcels' registry copy was behind (a seller registered moments ago): the same again later.
          const later = report.results.flatMap((r, n) =>
            r.outcome === 'retry-later' ? [part[n]] : [],
          );
          if (later.length > 0) retry(later);
        } catch (error) {
          counters.errors += 1;
          // A revision is the whole order, so one sent again later is at worst a duplicate.
          if (isTransient(error)) retry(list.slice(i));
          log(
            `posting ${platform} orders failed${isTransient(error) ? ' (will retry)' : ''}: ${error instanceof Error ? error.message : String(error)}`,
          );
          return;
        }
      }
    }),
  );
}

export async function simulate(options: SimulatorOptions): Promise<Counters> {
  const world = readWorld(options.county);
  if (!world) {
    throw new Error(
      `no demo world for county ${options.county} at ${paths.world(options.county)}; run npm run demo:seed -- --county ${options.county} first`,
    );
  }
  const credentials = readCredentials(options.county);
  const clientToken = (key: string): TokenSource => {
    const client = credentials.clients[key];
    if (!client)
      throw new Error(
        `no saved client ${key}; run npm run demo:seed -- --county ${options.county}`,
      );
    return TokenSource.client(services.registry, client.clientId, client.clientSecret);
  };
  await waitReady('registry', services.registry);
  await waitReady('parcels', services.parcels);
  const platformTokens = new Map(world.platforms.map((p) => [p, clientToken(`platform:${p}`)]));
  const courierTokens = new Map(
    options.httpCarriers
      .filter((c) => world.carriers.some((w) => w.code === c))
      .map((c) => [c, clientToken(`courier:${c}`)]),
  );
  // The other carriers write their Kafka doors, each signed in as its courier client.
  const doors = new CourierDoors(
    services.registry,
    (carrier) => credentials.clients[`courier:${carrier}`],
  );

  const started = Date.now();
  const traffic = new CountyTraffic(world, options, createRandom(started), started);
  // A lifecycle spans about 60 real hours; start as if that much had already run.
  if (options.warmUp) traffic.warmUp(started, Math.min((60 * 3600) / options.timeCompression, 600));
  const counters: Counters = {
    kafkaScans: 0,
    httpScans: 0,
    httpRejected: 0,
    orders: 0,
    shipped: 0,
    refunds: 0,
    ordersRejected: 0,
    errors: 0,
  };
  let stopping = false;
  const stop = (): void => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  log(
    `${world.county.name} (${options.county}): aiming at ${options.rate} scans/s and ${options.ordersRate.toFixed(2)} orders/s, stages compressed ${options.timeCompression}× (an hour every ${(3600 / options.timeCompression).toFixed(1)} s); HTTP door for ${[...courierTokens.keys()].join(', ') || 'no carrier'}, Kafka door for the rest`,
  );
  let last = started;
  let lastReport = started;
  let reported = { ...counters };
  const ordersToRetry: DemoOrder[] = [];
  let retryOrdersAt = 0;
  try {
    while (
      !stopping &&
      (options.duration === null || Date.now() - started < options.duration * 1000)
    ) {
      const now = Date.now();
      const { scans, orders } = traffic.tick(now, (now - last) / 1000);
      last = now;
      if (ordersToRetry.length > 0 && now >= retryOrdersAt)
        orders.unshift(...ordersToRetry.splice(0));
      // Failed sends wait 5 s (a service or the database restarting), then go again.
      const retryScans = (failed: PlannedScan[]): void =>
        traffic.scans.push(...failed.map(({ scan }) => ({ dueAt: Date.now() + 5000, scan })));
      const retryOrders = (failed: DemoOrder[]): void => {
        ordersToRetry.push(...failed);
        retryOrdersAt = Date.now() + 5000;
      };
      await Promise.all([
        scans.length > 0
          ? sendScans(scans, doors, courierTokens, counters, retryScans)
          : Promise.resolve(),
        orders.length > 0
          ? sendOrders(orders, platformTokens, counters, retryOrders)
          : Promise.resolve(),
      ]);
      if (now - lastReport >= 10_000) {
        const seconds = (now - lastReport) / 1000;
        const sent =
          counters.kafkaScans + counters.httpScans - reported.kafkaScans - reported.httpScans;
        log(
          `last ${seconds.toFixed(0)} s: ${(sent / seconds).toFixed(1)} scans/s (kafka ${counters.kafkaScans}, http ${counters.httpScans} in all), orders ${counters.orders} paid / ${counters.shipped} shipped / ${counters.refunds} refunded, ${traffic.scans.size} scans pending, ${counters.errors} errors`,
        );
        lastReport = now;
        reported = { ...counters };
      }
      const wait = TICK_MS - (Date.now() - now);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } finally {
    await doors.disconnect();
  }
  const seconds = (Date.now() - started) / 1000;
  log(
    `stopped after ${seconds.toFixed(0)} s: ${counters.kafkaScans} scans on Kafka, ${counters.httpScans} over HTTP (${((counters.kafkaScans + counters.httpScans) / seconds).toFixed(1)} scans/s), ${counters.orders} orders paid, ${counters.shipped} shipped, ${counters.refunds} refunded, ${counters.ordersRejected + counters.httpRejected} rejected, ${counters.errors} errors`,
  );
  return counters;
}

if (require.main === module) {
  simulate(simulatorOptionsFrom(process.argv.slice(2)))
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(
        `[demo:simulate] failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    });
}
