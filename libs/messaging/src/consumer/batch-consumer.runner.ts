import type { DataSource, EntityManager } from 'typeorm';
import { deadLetterTopicOf } from '@ecomlog/contracts';
import {
  consumerLag,
  eventsConsumed,
  eventsDeadLettered,
  runWithCorrelationId,
  type AppLogger,
} from '@ecomlog/observability';
import { randomUUID } from 'node:crypto';
import type {
  BatchContext,
  IncomingRecord,
  KafkaGateway,
  OutgoingRecord,
  RunningConsumer,
} from '../kafka/kafka-gateway';
import { checkPlainJsonDefinitions, decodeRecord, type DecodedRecord } from './decode-record';
import type { BatchConsumer } from './event-consumer';

export const DLQ_HEADERS = {
  reason: 'dlq_reason',
  sourceTopic: 'dlq_source_topic',
  sourcePartition: 'dlq_source_partition',
  sourceOffset: 'dlq_source_offset',
  consumerGroup: 'dlq_consumer_group',
  failedAt: 'dlq_failed_at',
} as const;

/**
 * Runs one consumer group against Kafka with exactly-once effect on its database: for each chunk it
 * locks the stored offsets, skips what was already applied, dead-letters invalid messages, lets
 * the handler write, stores the next offset, and commits — all in one transaction.
 *
 * The database is the authority on positions: on every assignment the runner seeks to the offsets
 * stored there (0 where it has none), and whatever arrives before that seek is filtered by the
 * stored offset, so a fresh database (a rebuild) always replays from the beginning and nothing
 * can be skipped. The same positions are also committed to Kafka after each chunk, as a hint
 * for Kafka's lag tools (kafka-consumer-groups --describe) and autoscalers.
 */
export class BatchConsumerRunner<T extends object> {
  private running?: RunningConsumer;
  readonly groupId: string;

  constructor(
    private readonly consumer: BatchConsumer<T>,
    private readonly kafka: KafkaGateway,
    private readonly dataSource: DataSource,
    private readonly logger: AppLogger,
    private readonly settings: { groupPrefix: string; sessionTimeoutMs: number } = {
      groupPrefix: '',
      sessionTimeoutMs: 30000,
    },
  ) {
    // Fails at construction, not on the first message, when a plain-json consumer is ambiguous.
    if (consumer.envelope === 'plain-json') checkPlainJsonDefinitions(consumer.events);
    this.groupId = `${settings.groupPrefix}${consumer.groupId}`;
  }

  get topics(): string[] {
    return [...new Set(this.consumer.events.map((definition) => definition.topic.name))];
  }

  async start(): Promise<void> {
    this.running = await this.kafka.runConsumer({
      groupId: this.groupId,
      topics: this.topics,
      partitionsConsumedConcurrently: this.consumer.partitionsConsumedConcurrently ?? 3,
      sessionTimeoutMs: this.settings.sessionTimeoutMs,
      startOffsets: (assigned) => this.storedOffsets(assigned),
      onBatch: (batch) => this.processBatch(batch),
    });
    this.logger.info({ group: this.groupId, topics: this.topics }, 'consumer started');
  }

  /** Stops fetching; the chunk in hand finishes and commits first. */
  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }

  /** The database is the source of truth for positions; Kafka's committed offsets are a hint. */
  private async storedOffsets(
    assigned: { topic: string; partition: number }[],
  ): Promise<{ topic: string; partition: number; offset: string }[]> {
    const rows = await this.dataSource.query<
      { topic: string; partition: number; next_offset: string }[]
    >('SELECT topic, partition, next_offset FROM consumer_offset WHERE consumer_group = $1', [
      this.groupId,
    ]);
    return assigned.map(({ topic, partition }) => ({
      topic,
      partition,
      // No stored row: this database has seen nothing yet. Offset 0, when already deleted by
      // retention, is out of range and the client falls back to the earliest offset.
      offset:
        rows.find((row) => row.topic === topic && row.partition === partition)?.next_offset ?? '0',
    }));
  }

  private async processBatch(batch: BatchContext): Promise<void> {
    const chunkSize = this.consumer.chunkSize ?? 500;
    for (let i = 0; i < batch.records.length; i += chunkSize) {
      if (!batch.isRunning() || batch.isStale()) return;
      const chunk = batch.records.slice(i, i + chunkSize);
      await this.processChunk(batch.topic, batch.partition, chunk);
      const last = chunk[chunk.length - 1].offset;
      batch.markProcessed(last);
      this.reportProgress(batch, BigInt(last) + 1n);
      await batch.heartbeat();
    }
  }

  /**
   * After a chunk's transaction committed: the lag gauge, and the same position committed to
   * Kafka as a hint for its lag tools (not awaited: a failed hint costs nothing; the next chunk
   * commits a later one, and assignments seek to the database's positions regardless).
   */
  private reportProgress(batch: BatchContext, next: bigint): void {
    const lag = BigInt(batch.highWatermark) - next;
    consumerLag.set(
      { group: this.groupId, topic: batch.topic, partition: String(batch.partition) },
      Number(lag > 0n ? lag : 0n),
    );
    batch
      .commit(next.toString())
      .catch((error: unknown) =>
        this.logger.debug(
          { err: error, group: this.groupId },
          'offset hint not committed to Kafka',
        ),
      );
  }

  private async processChunk(
    topic: string,
    partition: number,
    chunk: IncomingRecord[],
  ): Promise<void> {
    const classified = chunk.map((record) => this.classify(record));
    const lastOffset = chunk[chunk.length - 1].offset;
    const correlationId =
      classified.find((c) => c.ok)?.event.attributes.correlationId ?? randomUUID();

    await runWithCorrelationId(correlationId, () =>
      this.dataSource.transaction(async (tx) => {
        const next = await this.lockOffset(tx, topic, partition);
        const fresh = classified.filter(
          (c) => BigInt(c.ok ? c.event.offset : c.record.offset) >= next,
        );
        if (fresh.length === 0) return;

        const valid = fresh.flatMap((c) => (c.ok ? [c.event] : []));
        const rejected = fresh.flatMap((c) =>
          c.ok ? [] : [{ record: c.record, reason: c.reason }],
        );
        if (valid.length > 0) {
          const refusals = (await this.consumer.handle(valid, tx)) ?? [];
          for (const refusal of refusals) {
            const event = valid.find((e) => e.offset === refusal.offset);
            const record = event && chunk.find((r) => r.offset === event.offset);
            if (record) rejected.push({ record, reason: refusal.reason });
          }
        }
        // Sent before the commit: a crash in between can only duplicate a DLQ record, never lose one.
        await this.deadLetter(rejected);
        await this.saveOffset(tx, topic, partition, BigInt(lastOffset) + 1n);
        eventsConsumed.inc({ group: this.groupId, topic }, valid.length);
      }),
    );
  }

  private classify(record: IncomingRecord): DecodedRecord<T> {
    return decodeRecord(record, this.consumer.events, this.consumer.envelope);
  }

  private async lockOffset(tx: EntityManager, topic: string, partition: number): Promise<bigint> {
    await tx.query(
      `INSERT INTO consumer_offset (consumer_group, topic, partition, next_offset) VALUES ($1, $2, $3, 0)
       ON CONFLICT DO NOTHING`,
      [this.groupId, topic, partition],
    );
    // FOR UPDATE: a zombie member that lost the partition in a rebalance waits here, then skips.
    const [row] = await tx.query<{ next_offset: string }[]>(
      'SELECT next_offset FROM consumer_offset WHERE consumer_group = $1 AND topic = $2 AND partition = $3 FOR UPDATE',
      [this.groupId, topic, partition],
    );
    return BigInt(row.next_offset);
  }

  private async saveOffset(
    tx: EntityManager,
    topic: string,
    partition: number,
    next: bigint,
  ): Promise<void> {
    await tx.query(
      `UPDATE consumer_offset SET next_offset = $4, updated_at = now()
       WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND next_offset < $4`,
      [this.groupId, topic, partition, next.toString()],
    );
  }

  private async deadLetter(rejected: { record: IncomingRecord; reason: string }[]): Promise<void> {
    if (rejected.length === 0) return;
    const records: OutgoingRecord[] = rejected.map(({ record, reason }) => ({
      topic: deadLetterTopicOf(record.topic),
      key: record.key?.toString('utf8') ?? null,
      value: record.value,
      headers: {
        ...record.headers,
        [DLQ_HEADERS.reason]: reason,
        [DLQ_HEADERS.sourceTopic]: record.topic,
        [DLQ_HEADERS.sourcePartition]: String(record.partition),
        [DLQ_HEADERS.sourceOffset]: record.offset,
        [DLQ_HEADERS.consumerGroup]: this.groupId,
        [DLQ_HEADERS.failedAt]: new Date().toISOString(),
      },
    }));
    await this.kafka.publish(records);
    for (const { record, reason } of rejected) {
      eventsDeadLettered.inc({ group: this.groupId, topic: record.topic });
      this.logger.warn(
        {
          group: this.groupId,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          reason,
        },
        'message sent to dead-letter topic',
      );
    }
  }
}
