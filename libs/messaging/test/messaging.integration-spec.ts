import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DivisionChanged, type DivisionChangedV1 } from '@ecomlog/contracts';
import { consumerLag, createLogger } from '@ecomlog/observability';
import {
  openTestDatabase,
  stack,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@ecomlog/testing';
import {
  BatchConsumerRunner,
  DLQ_HEADERS,
  KafkaGateway,
  MESSAGING_ENTITIES,
  MESSAGING_MIGRATIONS,
  OutboxRelay,
  OutboxWriter,
  encodeHeaders,
  type BatchConsumer,
  type ConsumedEvent,
  type IncomingRecord,
} from '../src';

const logger = createLogger('messaging-it', 'error');
const suffix = uniqueSuffix();
const database = `it_messaging_${suffix}`;
// Codes of our own under a random county prefix: the topic is shared with other runs.
const county = String(100000 + Math.floor(Math.random() * 899999));

function division(village: number, version: number): DivisionChangedV1 {
  return {
    code: `${county}101${String(200 + village).padStart(3, '0')}`,
    name: `村${village}-v${version}`,
    level: 'village',
    parentCode: `${county}101000`,
    administrativeVillage: true,
    status: 'active',
    replacedBy: null,
    version,
    changedAt: new Date().toISOString(),
  };
}

class RecordingConsumer implements BatchConsumer<DivisionChangedV1> {
  readonly events = [DivisionChanged];
  readonly seen: ConsumedEvent<DivisionChangedV1>[] = [];
  failuresLeft = 0;

  constructor(readonly groupId: string) {}

  async handle(events: ConsumedEvent<DivisionChangedV1>[], tx: EntityManager): Promise<void> {
    const ours = events.filter((e) => e.payload.code.startsWith(county));
    // Effects go through the transaction, so a failed attempt leaves nothing behind.
    for (const event of ours) {
      await tx.query('INSERT INTO applied_event (consumer_group, event_id) VALUES ($1, $2)', [
        this.groupId,
        event.attributes.id,
      ]);
    }
    if (ours.length > 0 && this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('simulated failure after writing, before commit');
    }
    this.seen.push(...ours);
  }
}

describe('messaging against the real broker and database', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let kafka: KafkaGateway;

  beforeAll(async () => {
    db = await openTestDatabase(database, 10, {
      applicationName: 'messaging-it',
      entities: MESSAGING_ENTITIES,
      migrations: MESSAGING_MIGRATIONS,
    });
    dataSource = db.dataSource;
    await dataSource.runMigrations();
    await dataSource.query(
      'CREATE TABLE applied_event (consumer_group text, event_id uuid, PRIMARY KEY (consumer_group, event_id))',
    );
    kafka = new KafkaGateway(stack.kafkaBrokers, 'messaging-it', logger, stack.kafkaAdmin);
  });

  afterAll(async () => {
    await kafka.disconnect();
    await db.drop();
  });

  it('relays the outbox in commit order per key with two relays running, and applies each event exactly once despite a failed attempt', async () => {
    const writer = new OutboxWriter('messaging-it');
    const villages = 8;
    const versions = 15;
    for (let version = 1; version <= versions; version++) {
      await dataSource.transaction((tx) =>
        writer.append(
          tx,
          DivisionChanged,
          Array.from({ length: villages }, (_, v) => division(v, version)),
        ),
      );
    }
    const options = { pollIntervalMs: 50, batchSize: 7, retainPublishedMs: 3600000, listen: null };
    const relays = [
      new OutboxRelay(dataSource, kafka, logger, options),
      new OutboxRelay(dataSource, kafka, logger, options),
    ];
    await Promise.all(relays.map((relay) => relay.start()));

    const consumer = new RecordingConsumer(`it-${suffix}-relay`);
    consumer.failuresLeft = 1;
    const runner = new BatchConsumerRunner(consumer, kafka, dataSource, logger);
    await runner.start();
    try {
      await waitFor(
        'every relayed event to be consumed',
        async () => consumer.seen.length >= villages * versions,
        { timeoutMs: 60000 },
      );
    } finally {
      await runner.stop();
      await Promise.all(relays.map((relay) => relay.stop()));
    }

    const [{ pending }] = await dataSource.query<{ pending: number }[]>(
      'SELECT count(*)::int AS pending FROM outbox_event WHERE published_at IS NULL',
    );
    expect(pending).toBe(0);
    expect(consumer.seen).toHaveLength(villages * versions);

    // The positions stored with the effects are committed to Kafka too, for its lag tools.
    const stored = await dataSource.query<{ partition: number; next_offset: string }[]>(
      'SELECT partition, next_offset FROM consumer_offset WHERE consumer_group = $1 ORDER BY 1',
      [runner.groupId],
    );
    expect(stored.length).toBeGreaterThan(0);
    await waitFor('Kafka to hold the stored positions as committed offsets', async () => {
      const [committed] = await kafka.withAdmin((admin) =>
        admin.fetchOffsets({ groupId: runner.groupId, topics: [DivisionChanged.topic.name] }),
      );
      return stored.every(
        (row) =>
          committed.partitions.find((p) => p.partition === row.partition)?.offset ===
          row.next_offset,
      );
    });
    const lag = (await consumerLag.get()).values.filter((v) => v.labels.group === runner.groupId);
    expect(lag.length).toBe(stored.length);
    expect(lag.every((v) => v.value >= 0)).toBe(true);
    for (let v = 0; v < villages; v++) {
      const code = division(v, 1).code;
      const order = consumer.seen
        .filter((e) => e.payload.code === code)
        .map((e) => e.payload.version);
      expect(order).toEqual(Array.from({ length: versions }, (_, i) => i + 1));
    }
    const [{ applied }] = await dataSource.query<{ applied: number }[]>(
      'SELECT count(*)::int AS applied FROM applied_event',
    );
    expect(applied).toBe(villages * versions);
    expect(consumer.seen.every((e) => e.attributes.source === 'messaging-it')).toBe(true);
  });

  it('sends malformed, foreign and invalid messages to the dead-letter topic with a reason, and keeps consuming', async () => {
    const key = `${county}101999`;
    const valid = division(99, 1);
    const headers = (type: string) =>
      encodeHeaders({
        id: randomUUID(),
        source: 'test',
        type,
        specversion: '1.0',
        time: new Date().toISOString(),
      });
    await kafka.publish([
      {
        topic: DivisionChanged.topic.name,
        key,
        value: '{"code": "broken',
        headers: headers(DivisionChanged.type),
      },
      { topic: DivisionChanged.topic.name, key, value: JSON.stringify(valid), headers: {} },
      {
        topic: DivisionChanged.topic.name,
        key,
        value: JSON.stringify({ ...valid, code: '12', version: 0 }),
        headers: headers(DivisionChanged.type),
      },
      {
        topic: DivisionChanged.topic.name,
        key,
        value: JSON.stringify(valid),
        headers: headers('cn.ecomlog.registry.unknown-thing.v1'),
      },
      {
        topic: DivisionChanged.topic.name,
        key: valid.code,
        value: JSON.stringify(valid),
        headers: headers(DivisionChanged.type),
      },
    ]);

    const consumer = new RecordingConsumer(`it-${suffix}-dlq`);
    const runner = new BatchConsumerRunner(consumer, kafka, dataSource, logger);
    const dead: IncomingRecord[] = [];
    const dlqReader = await kafka.runConsumer({
      groupId: `it-${suffix}-dlq-reader`,
      topics: [`${DivisionChanged.topic.name}.dlq`],
      partitionsConsumedConcurrently: 1,
      onBatch: async (batch) => {
        // The reader commits nothing, so a restart re-reads: keep each DLQ record once.
        for (const record of batch.records) {
          if (record.key?.toString() === key && !dead.some((d) => d.offset === record.offset))
            dead.push(record);
        }
        batch.markProcessed(batch.records[batch.records.length - 1].offset);
      },
    });
    await runner.start();
    try {
      await waitFor(
        'the valid event and four dead letters',
        async () => consumer.seen.some((e) => e.payload.code === valid.code) && dead.length >= 4,
        {
          timeoutMs: 60000,
        },
      );
    } finally {
      await runner.stop();
      await dlqReader.stop();
    }

    const reasons = dead.map((r) => r.headers[DLQ_HEADERS.reason]);
    expect(reasons).toEqual([
      expect.stringMatching(/^message value is not valid JSON/),
      'not a CloudEvent in binary mode: headers ce_id, ce_source, ce_type, ce_specversion missing',
      expect.stringMatching(
        /^invalid cn\.ecomlog\.registry\.division-changed\.v1: .*code: code must be a 12-digit division code.*version: version must not be less than 1/,
      ),
      expect.stringMatching(
        /^event type cn\.ecomlog\.registry\.unknown-thing\.v1 is not one this consumer understands/,
      ),
    ]);
    for (const record of dead) {
      expect(record.headers).toMatchObject({
        [DLQ_HEADERS.sourceTopic]: DivisionChanged.topic.name,
        [DLQ_HEADERS.consumerGroup]: `it-${suffix}-dlq`,
      });
      expect(Number(record.headers[DLQ_HEADERS.sourceOffset])).toBeGreaterThanOrEqual(0);
    }
    expect(consumer.seen.filter((e) => e.payload.code === valid.code)).toHaveLength(1);
  });
});
