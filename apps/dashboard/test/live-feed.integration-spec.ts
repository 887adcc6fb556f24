import { randomUUID } from 'node:crypto';
import type { OfficialRole } from '@ecomlog/auth';
import { IndicatorCellChanged, type IndicatorCellChangedV1 } from '@ecomlog/contracts';
import { KafkaGateway, encodeHeaders } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import {
  bootServiceUnderTest,
  stack,
  uniqueSuffix,
  waitFor,
  type ServiceUnderTest,
} from '@ecomlog/testing';
import { AppModule } from '../src/app.module';
import { DashboardEnv } from '../src/config';
import { configureDashboard } from '../src/main';

/**
 * GET /api/live on the real broker: the dashboard reads a topic of this run (INDICATORS_TOPIC)
 * from the latest offsets, drops versions that do not move forward, and sends each client only the
 * cells under the division it watches and inside its token's region.
 */

const COUNTY = '990101000000';
const TOWN = '990101101000';
const OTHER_TOWN = '990101102000';
const OTHER_COUNTY = '990202000000';

interface LiveEvent {
  event: string;
  data: Record<string, unknown>;
}

/** An open SSE response whose events are collected as they arrive. */
interface OpenStream {
  status: number;
  events: LiveEvent[];
  body: string;
  close(): void;
}

async function openStream(url: string, token?: string): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  const stream: OpenStream = {
    status: response.status,
    events: [],
    body: '',
    close: () => controller.abort(),
  };
  if (response.status !== 200 || !response.body) {
    stream.body = await response.text();
    return stream;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data)
            stream.events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return stream;
}

describe('live indicator feed (GET /api/live) on the real broker', () => {
  const suffix = uniqueSuffix();
  const topic = `dashboard.it-indicators.${suffix}`;
  const logger = createLogger('dashboard-it', 'error');
  const kafka = new KafkaGateway(
    stack.kafkaBrokers,
    `dashboard-it-${suffix}`,
    logger,
    stack.kafkaAdmin,
  );
  let dashboard: ServiceUnderTest<DashboardEnv>;
  let baseUrl: string;
  const official = (roles: OfficialRole[], region: string): string =>
    dashboard.tokens.official(roles, region);
  const streams: OpenStream[] = [];

  function cell(
    divisionCode: string,
    version: number,
    indicator: IndicatorCellChangedV1['indicator'] = 'parcel_volume',
  ): IndicatorCellChangedV1 {
    return {
      indicator,
      divisionCode,
      period: '202611',
      scope: null,
      value: version * 10,
      numerator: null,
      denominator: null,
      unit: 'count',
      version,
      computedAt: new Date().toISOString(),
    };
  }

  async function publish(cells: IndicatorCellChangedV1[]): Promise<void> {
    // One call per cell, in order: cells of one key share a partition, so order is kept.
    for (const payload of cells)
      await kafka.publish([
        {
          topic,
          key: IndicatorCellChanged.key(payload),
          value: JSON.stringify(payload),
          headers: encodeHeaders({
            id: randomUUID(),
            source: 'dashboard-it',
            type: IndicatorCellChanged.type,
            specversion: '1.0',
            time: new Date().toISOString(),
            subject: IndicatorCellChanged.subject(payload),
          }),
        },
      ]);
  }

  async function stream(query: string, token?: string): Promise<OpenStream> {
    const opened = await openStream(`${baseUrl}/api/live${query}`, token);
    streams.push(opened);
    return opened;
  }

  const indicatorCells = (s: OpenStream): string[] =>
    s.events
      .filter((e) => e.event === 'indicator' && e.data.indicator === 'parcel_volume')
      .map((e) => `${String(e.data.divisionCode)}@${String(e.data.version)}`);

  beforeAll(async () => {
    await kafka.withAdmin((admin) =>
      admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] }),
    );
    // Published before the dashboard starts: a live view must not replay it.
    await publish([cell(OTHER_COUNTY, 99, 'hub_sorted')]);

    dashboard = await bootServiceUnderTest({
      service: 'dashboard',
      name: 'live',
      envClass: DashboardEnv,
      appModule: (env) => AppModule.register(env, logger),
      configure: configureDashboard,
      database: false,
      listen: true,
      env: { INDICATORS_TOPIC: topic, KAFKA_SESSION_TIMEOUT_MS: '6000' },
    });
    baseUrl = dashboard.baseUrl ?? '';
  });

  afterAll(async () => {
    streams.forEach((s) => s.close());
    await dashboard?.close();
    await kafka
      .withAdmin((admin) => admin.deleteTopics({ topics: [topic] }))
      .catch(() => undefined);
    await kafka.disconnect();
  });

  it('refuses callers without a token, outside their region, or with a malformed division', async () => {
    const anonymous = await stream(`?ou=${COUNTY}`);
    expect(anonymous.status).toBe(401);
    const outside = await stream(`?ou=${OTHER_COUNTY}`, official(['viewer'], '990101'));
    expect(outside.status).toBe(403);
    expect(outside.body).toContain(`Division ${OTHER_COUNTY} is outside your region (990101)`);
    const malformed = await stream('?ou=99-01', official(['viewer'], '990101'));
    expect(malformed.status).toBe(400);
  });

  it('streams each client the newer cells under its division and inside its region', async () => {
    const townWatcher = await stream(`?ou=${TOWN}`, official(['commerce'], '990101'));
    const countyWatcher = await stream(`?ou=${COUNTY}`, official(['viewer'], ''));
    // No ou: the official's whole region, here the other town only.
    const otherTownOfficial = await stream('', official(['viewer'], '990101102'));
    for (const s of [townWatcher, countyWatcher, otherTownOfficial]) expect(s.status).toBe(200);
    await waitFor('every stream to say ready', async () =>
      [townWatcher, countyWatcher, otherTownOfficial].every((s) => s.events[0]?.event === 'ready')
        ? true
        : undefined,
    );
    expect(townWatcher.events[0].data).toEqual({
      ou: TOWN,
      divisionPrefix: '990101101',
      regionPrefix: '990101',
    });
    expect(otherTownOfficial.events[0].data).toMatchObject({ divisionPrefix: '990101102' });

    // The consumer joins its group in the background: probe until it delivers.
    let probe = 0;
    await waitFor(
      'the live feed to deliver from the topic',
      async () => {
        probe += 1;
        await publish([cell(COUNTY, probe, 'training_attendees')]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return countyWatcher.events.some((e) => e.event === 'indicator') ? true : undefined;
      },
      { timeoutMs: 60000, intervalMs: 200 },
    );

    await publish([
      cell(TOWN, 2),
      cell(TOWN, 1), // older than the last seen version of its key: dropped
      cell(TOWN, 2), // a repeat: dropped
      cell(TOWN, 3),
      cell(OTHER_TOWN, 1),
      cell(OTHER_COUNTY, 1),
    ]);
    await waitFor('the county watcher to receive three cells', async () =>
      indicatorCells(countyWatcher).length >= 3 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000)); // anything extra would show now

    expect(indicatorCells(townWatcher)).toEqual([`${TOWN}@2`, `${TOWN}@3`]);
    expect(indicatorCells(countyWatcher)).toEqual([`${TOWN}@2`, `${TOWN}@3`, `${OTHER_TOWN}@1`]);
    expect(indicatorCells(otherTownOfficial)).toEqual([`${OTHER_TOWN}@1`]);
    const received = townWatcher.events.find((e) => e.event === 'indicator')?.data;
    expect(received).toMatchObject({ indicator: 'parcel_volume', value: 20, unit: 'count' });
    // Started from the latest offsets: the cell published before start never came.
    const all = [townWatcher, countyWatcher, otherTownOfficial].flatMap((s) => s.events);
    expect(all.some((e) => e.data.indicator === 'hub_sorted')).toBe(false);
  });

  it('is ready while Kafka answers and the feed consumes', async () => {
    const response = await fetch(`${baseUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { kafka: 'up', liveFeed: 'up' },
    });
  });
});
