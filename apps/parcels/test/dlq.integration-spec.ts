import { DLQ_HEADERS, type IncomingRecord } from '@ecomlog/messaging';
import { produceWithKcat, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { startParcelsApp, type ParcelsTestApp } from './parcels-harness';

/**
 * `key:value` lines through kcat onto the HTTP door's topic (written as the stack administrator):
 * the same decoding and validation as the couriers' doors, without a door's carrier check.
 */
function produceLinesWithKcat(lines: string[]): void {
  produceWithKcat('parcels.scans.v1', lines);
}

const run = uniqueSuffix().toUpperCase();
const DIVISION = '640521100201';

interface BadCase {
  name: string;
  key: string;
  value: string;
  reason: RegExp;
}

describe('parcels.scans.v1 bad input is dead-lettered with a readable reason (SPEC 8)', () => {
  let parcels: ParcelsTestApp;

  beforeAll(async () => {
    parcels = await startParcelsApp('dlq');
  });

  afterAll(async () => {
    await parcels.close();
  });

  it('sends malformed JSON, wrong types, unknown codes, offset-less and future times to the DLQ', async () => {
    const scan = (waybillNo: string, fields: Record<string, unknown>): string =>
      JSON.stringify({
        scanId: `${waybillNo}-1`,
        carrier: 'ZTO',
        waybillNo,
        status: 'GOT',
        occurredAt: '2024-08-01T09:00:00+08:00',
        divisionCode: DIVISION,
        ...fields,
      });
    const future = new Date(Date.now() + 20 * 60 * 1000).toISOString();
    const cases: BadCase[] = [
      {
        name: 'malformed JSON',
        key: `DJ${run}`,
        value: `{"scanId":"DJ${run}-1","carrier":"ZTO","waybillNo":"DJ${run}",`,
        reason: /^message value is not valid JSON: /,
      },
      {
        name: 'wrong-typed field',
        key: `DW${run}`,
        value: scan(`DW${run}`, { weightGrams: 'heavy' }),
        reason: /^invalid cn\.ecomlog\.parcels\.scan-received\.v1: weightGrams: .*integer/,
      },
      {
        name: 'unknown carrier (no status table for its codes)',
        key: `DC${run}`,
        value: scan(`DC${run}`, { carrier: 'ACME', status: 'GOT' }),
        reason: /^carrier ACME: unknown status code "GOT" \(there is no status table for ACME/,
      },
      {
        name: 'unknown status code of a known carrier',
        key: `DS${run}`,
        value: scan(`DS${run}`, { status: 'NOPE' }),
        reason: /^carrier ZTO: unknown status code "NOPE" \(not in the ZTO table/,
      },
      {
        name: 'timestamp without offset',
        key: `DO${run}`,
        value: scan(`DO${run}`, { occurredAt: '2024-08-01T09:00:00' }),
        reason: /occurredAt must be an ISO 8601 date-time with an offset/,
      },
      {
        name: 'timestamp more than 15 minutes in the future',
        key: `DF${run}`,
        value: scan(`DF${run}`, { occurredAt: future }),
        reason: new RegExp(
          `occurredAt ${future.replace(/[.+]/g, '\\$&')} is more than 15 minutes in the future`,
        ),
      },
    ];
    const good = `DG${run}`;

    // The reader commits nothing, so a rebalance may hand it records twice: dedupe by position.
    const dead = new Map<string, IncomingRecord>();
    const keys = new Set(cases.map((c) => c.key));
    const reader = await parcels.kafka.runConsumer({
      groupId: `it-parcels-dlq-reader-${run}`,
      topics: ['parcels.scans.v1.dlq'],
      partitionsConsumedConcurrently: 1,
      onBatch: (batch) => {
        for (const record of batch.records) {
          const key = record.key?.toString('utf8') ?? '';
          if (keys.has(key)) dead.set(`${record.partition}/${record.offset}`, record);
        }
        batch.markProcessed(batch.records[batch.records.length - 1].offset);
        return Promise.resolve();
      },
    });

    try {
      produceLinesWithKcat([
        ...cases.map((c) => `${c.key}:${c.value}`),
        // A good scan after the bad ones: the partition is not blocked.
        `${good}:${scan(good, {})}`,
      ]);
      await waitFor(
        'every bad scan in parcels.scans.v1.dlq',
        () =>
          Promise.resolve(
            new Set([...dead.values()].map((r) => r.key?.toString())).size >= cases.length,
          ),
        { timeoutMs: 60000 },
      );
      await waitFor('the good scan stored', async () => {
        const [row] = await parcels.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM parcel WHERE waybill_no = $1',
          [good],
        );
        return row.n === 1;
      });
    } finally {
      await reader.stop();
    }

    const byKey = new Map([...dead.values()].map((r) => [r.key?.toString('utf8') ?? '', r]));
    for (const c of cases) {
      const record = byKey.get(c.key);
      expect({ case: c.name, reason: record?.headers[DLQ_HEADERS.reason] }).toEqual({
        case: c.name,
        reason: expect.stringMatching(c.reason) as unknown,
      });
      expect(record?.headers[DLQ_HEADERS.sourceTopic]).toBe('parcels.scans.v1');
      expect(record?.headers[DLQ_HEADERS.consumerGroup]).toMatch(/parcels\.scan-ingest$/);
      expect(record?.headers[DLQ_HEADERS.sourceOffset]).toMatch(/^\d+$/);
      // The original bytes travel unchanged, so the courier can see what it sent.
      expect(record?.value?.toString('utf8')).toBe(c.value);
    }
    // Each bad record was dead-lettered once (the runner stores offsets with its effects).
    const perKey = [...dead.values()].map((r) => r.key?.toString('utf8'));
    expect(perKey.sort()).toEqual([...keys].sort());

    // Nothing else changed: no scan and no parcel for any bad record.
    const [stored] = await parcels.dataSource.query<{ scans: number; parcels: number }[]>(
      `SELECT (SELECT count(*)::int FROM scan WHERE waybill_no = ANY($1)) AS scans,
              (SELECT count(*)::int FROM parcel WHERE waybill_no = ANY($1)) AS parcels`,
      [[...keys]],
    );
    expect(stored).toEqual({ scans: 0, parcels: 0 });
  });
});
