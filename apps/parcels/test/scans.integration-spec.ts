import { DLQ_HEADERS, type IncomingRecord } from '@ecomlog/messaging';
import {
  ParcelStatusChanged,
  carrierDoorTopic,
  deadLetterTopicOf,
  type ParcelStatusChangedV1,
} from '@ecomlog/contracts';
import { produceWithKcat, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { startParcelsApp, type ParcelsTestApp } from './parcels-harness';

interface OutboxRow {
  message_key: string;
  event_type: string;
  payload: ParcelStatusChangedV1;
}

interface ParcelRow {
  status: string;
  scan_count: number;
  version: number;
}

/**
 * Writes each scan to its carrier's Kafka door with kcat, as a courier's own (non-Node) client
 * would; signed in as the stack administrator, since Debian's kcat cannot do OAUTHBEARER.
 */
function produceWithKcatToDoors(records: { key: string; value: { carrier: string } }[]): void {
  for (const carrier of new Set(records.map((r) => r.value.carrier))) {
    produceWithKcat(
      carrierDoorTopic(carrier),
      records
        .filter((r) => r.value.carrier === carrier)
        .map((r) => `${r.key}:${JSON.stringify(r.value)}`),
    );
  }
}

const run = uniqueSuffix().toUpperCase();
const ORIGIN = '330782000000';
const DEST = '640521100201';
const OPERATOR = '3f9a1c7e-2b4d-4e6f-8a0c-5d7e9f1b3a24';
const SITE = '7c1e2a90-3b5d-4f8e-a6c2-9d0b1e4f7a35';

describe('parcels scan intake on the real broker and database', () => {
  let parcels: ParcelsTestApp;

  beforeAll(async () => {
    parcels = await startParcelsApp('scans');
  });

  afterAll(async () => {
    await parcels.close();
  });

  async function parcel(carrier: string, waybillNo: string): Promise<ParcelRow | undefined> {
    const [row] = await parcels.dataSource.query<ParcelRow[]>(
      'SELECT status, scan_count, version FROM parcel WHERE carrier = $1 AND waybill_no = $2',
      [carrier, waybillNo],
    );
    return row;
  }

  async function lifecycleEvents(waybillNo: string): Promise<OutboxRow[]> {
    return parcels.dataSource.query<OutboxRow[]>(
      `SELECT message_key, event_type, payload FROM outbox_event
       WHERE topic = $1 AND message_key = $2 ORDER BY sequence`,
      [ParcelStatusChanged.topic.name, waybillNo],
    );
  }

  it('takes plain JSON scans from kcat: duplicates ignored, out of order placed, unknown codes dead-lettered', async () => {
    const zto = `ZT${run}`;
    const sf = `SF${run}`;
    const bad = `ZX${run}`;
    const scan = (
      carrier: string,
      waybillNo: string,
      scanId: string,
      status: string,
      occurredAt: string,
      extra: object = {},
    ) => ({ key: waybillNo, value: { scanId, carrier, waybillNo, status, occurredAt, ...extra } });

    const dead: IncomingRecord[] = [];
    const dlqReader = await parcels.kafka.runConsumer({
      groupId: `it-parcels-dlq-${run}`,
      topics: [deadLetterTopicOf(carrierDoorTopic('ZTO'))],
      partitionsConsumedConcurrently: 1,
      onBatch: async (batch) => {
        dead.push(...batch.records.filter((r) => r.key?.toString() === bad));
        batch.markProcessed(batch.records[batch.records.length - 1].offset);
      },
    });

    try {
      // Delivered first, pickup last; the July scan and the August ones land in two partitions.
      produceWithKcatToDoors([
        scan('ZTO', zto, `${zto}-5`, '签收', '2024-08-02T15:40:00+08:00', { divisionCode: DEST }),
        scan('ZTO', zto, `${zto}-3`, 'ARRIVAL', '2024-08-01T02:00:00+08:00', { siteId: SITE }),
        scan('ZTO', zto, `${zto}-4`, '派件', '2024-08-02T08:15:00+08:00', { handoverTo: OPERATOR }),
        scan('ZTO', zto, `${zto}-5`, '签收', '2024-08-02T15:40:00+08:00'), // same scan id
        scan('ZTO', zto, `${zto}-5b`, 'delivered', '2024-08-02T07:40:00Z'), // same status, same instant
        scan('ZTO', zto, `${zto}-2`, 'GOT', '2024-07-31T17:05:00+08:00', {
          origin: ORIGIN,
          destination: DEST,
        }),
        scan('SF', sf, `${sf}-1`, 'kuaidi100:1', '2024-08-01T09:00:00+08:00'),
        scan('SF', sf, `${sf}-2`, 'kuaidi100:5', '2024-08-02T09:00:00+08:00'),
        scan('ZTO', bad, `${bad}-1`, 'XYZ', '2024-08-01T09:00:00+08:00'),
      ]);

      await waitFor(
        'the ZTO parcel delivered from four distinct scans',
        async () => {
          const row = await parcel('ZTO', zto);
          return row?.status === 'delivered' && row.scan_count === 4;
        },
        { timeoutMs: 60000 },
      );
      await waitFor('the SF parcel out for delivery', async () =>
        (await parcel('SF', sf))?.status === 'out_for_delivery' ? true : undefined,
      );
      await waitFor('the unknown code in the DLQ', async () => dead.length >= 1, {
        timeoutMs: 60000,
      });
    } finally {
      await dlqReader.stop();
    }

    expect(dead[0].headers[DLQ_HEADERS.reason]).toMatch(/^carrier ZTO: unknown status code "XYZ"/);
    expect(dead[0].headers[DLQ_HEADERS.sourceTopic]).toBe(carrierDoorTopic('ZTO'));
    expect(JSON.parse(dead[0].value?.toString() ?? '{}')).toMatchObject({ waybillNo: bad });
    expect(await parcel('ZTO', bad)).toBeUndefined();

    const events = await lifecycleEvents(zto);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.map((e) => e.payload.version)).toEqual(events.map((_, i) => i + 1));
    expect(events[0].payload.previousStatus).toBeNull();
    expect(events[events.length - 1]).toMatchObject({
      event_type: 'cn.ecomlog.parcels.status-changed.v1',
      payload: {
        carrier: 'ZTO',
        waybillNo: zto,
        status: 'delivered',
        statusAt: '2024-08-02T15:40:00+08:00',
        pickedUpAt: '2024-07-31T17:05:00+08:00',
        deliveredAt: '2024-08-02T15:40:00+08:00',
        originDivisionCode: ORIGIN,
        destinationDivisionCode: DEST,
        jointlyDistributed: true,
        siteId: SITE,
      },
    });
    // Scans are partitioned by Asia/Shanghai month.
    const partitions = await parcels.dataSource.query<{ partition: string }[]>(
      `SELECT DISTINCT tableoid::regclass::text AS partition FROM scan WHERE waybill_no = $1 ORDER BY 1`,
      [zto],
    );
    expect(partitions.map((p) => p.partition)).toEqual(['scan_2024_07', 'scan_2024_08']);

    // A replay of known scans and a redundant later delivery scan: stored, but no new event.
    const before = events.length;
    produceWithKcatToDoors([
      scan('ZTO', zto, `${zto}-3`, 'ARRIVAL', '2024-08-01T02:00:00+08:00'),
      scan('ZTO', zto, `${zto}-6`, '签收', '2024-08-02T18:00:00+08:00'),
    ]);
    await waitFor('the redundant scan stored', async () =>
      (await parcel('ZTO', zto))?.scan_count === 5 ? true : undefined,
    );
    expect(await lifecycleEvents(zto)).toHaveLength(before);

    // The tracking view: state and full history in event-time order.
    const view = await parcels.courier('ZTO').get(`/v1/parcels/ZTO/${zto}`).expect(200);
    const body = view.body as { state: { status: string }; scans: { scanId: string }[] };
    expect(body.state.status).toBe('delivered');
    expect(body.scans.map((s) => s.scanId)).toEqual([
      `${zto}-2`,
      `${zto}-3`,
      `${zto}-4`,
      `${zto}-5`,
      `${zto}-6`,
    ]);
    await parcels.courier('SF').get(`/v1/parcels/ZTO/${zto}`).expect(403);
    await parcels.official(['viewer'], '640521').get(`/v1/parcels/ZTO/${zto}`).expect(200);
    await parcels.official(['viewer'], '110101').get(`/v1/parcels/ZTO/${zto}`).expect(404);
  });

  it('answers POST /v1/scans per item and feeds the same consumer', async () => {
    const waybill = `HT${run}`;
    const item = (scanId: string, status: string, occurredAt: string, carrier = 'YTO') => ({
      scanId,
      carrier,
      waybillNo: waybill,
      status,
      occurredAt,
      divisionCode: DEST,
    });
    const first = await parcels
      .courier('YTO')
      .post('/v1/scans')
      .send({ scans: [item(`${waybill}-1`, 'GOT', '2024-08-01T09:00:00+08:00')] })
      .expect(200);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0 });
    await waitFor('the first HTTP scan consumed', async () =>
      (await parcel('YTO', waybill))?.status === 'picked_up' ? true : undefined,
    );

    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const response = await parcels
      .courier('YTO')
      .post('/v1/scans')
      .send({
        scans: [
          item(`${waybill}-1`, 'GOT', '2024-08-01T09:00:00+08:00'), // stored already
          item(`${waybill}-2`, 'ARRIVAL', '2024-08-01T20:00:00+08:00'),
          item(`${waybill}-2`, 'ARRIVAL', '2024-08-01T20:00:00+08:00'), // earlier in the request
          item(`${waybill}-3`, 'NOPE', '2024-08-01T21:00:00+08:00'),
          item(`${waybill}-4`, '50', '2024-08-01T21:00:00+08:00', 'SF'), // another carrier
          item(`${waybill}-5`, 'SENT_SCAN', '2024-08-02T09:00:00'), // no offset
          item(`${waybill}-6`, 'SENT_SCAN', future),
          item(`${waybill}-7`, 'SENT_SCAN', '2024-08-02T09:00:00+08:00'),
        ],
      })
      .expect(200);
    const report = response.body as {
      accepted: number;
      duplicates: number;
      rejected: number;
      results: { index: number; outcome: string; reason?: string }[];
    };
    expect(report).toMatchObject({ accepted: 2, duplicates: 2, rejected: 4 });
    expect(report.results.map((r) => r.outcome)).toEqual([
      'duplicate',
      'accepted',
      'duplicate',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    expect(report.results[3].reason).toMatch(/^carrier YTO: unknown status code "NOPE"/);
    expect(report.results[4].reason).toMatch(/carrier YTO and may not send scans of SF/);
    expect(report.results[5].reason).toMatch(
      /occurredAt must be an ISO 8601 date-time with an offset/,
    );
    expect(report.results[6].reason).toMatch(/more than 15 minutes in the future/);

    await waitFor('the HTTP scans consumed', async () =>
      (await parcel('YTO', waybill))?.status === 'out_for_delivery' ? true : undefined,
    );

    const tooMany = await parcels
      .courier('YTO')
      .post('/v1/scans')
      .send({
        scans: Array.from({ length: 1001 }, (_, i) =>
          item(`${waybill}-x${i}`, 'GOT', '2024-08-01T09:00:00+08:00'),
        ),
      });
    expect(tooMany.status).toBe(413);
    expect(tooMany.get('content-type')).toMatch(/application\/problem\+json/);
    await parcels
      .official(['admin'], '')
      .post('/v1/scans')
      .send({ scans: [item(`${waybill}-9`, 'GOT', '2024-08-01T09:00:00+08:00')] })
      .expect(403);
    await parcels.official(['viewer'], '').post('/v1/scans').send({ scans: [] }).expect(403);
  });
});
