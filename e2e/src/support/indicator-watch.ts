import { TOPICS } from '@ecomlog/contracts';
import { KafkaGateway, type RunningConsumer } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { stack } from '@ecomlog/testing';

export interface WatchedCell {
  version: number;
  value: number | null;
  offset: string;
}

/**
 * Reads analytics.indicators.v1 from given positions and keeps, per key under one division
 * prefix, the highest version seen and its value; records every message whose version is lower
 * than one already seen for its key (a regression), or equal with another value (a version
 * reused for a different value). Its positions are its own, so a rejoin after a broker restart
 * resumes where it was instead of rereading.
 */
export class IndicatorWatch {
  readonly cells = new Map<string, WatchedCell>();
  readonly regressions: string[] = [];
  messages = 0;
  private readonly positions = new Map<number, bigint>();
  private readonly kafka: KafkaGateway;
  private running?: RunningConsumer;

  constructor(
    private readonly divisionPrefix: string,
    private readonly groupId: string,
  ) {
    this.kafka = new KafkaGateway(stack.kafkaBrokers, groupId, createLogger('e2e-watch', 'fatal'));
  }

  get topic(): string {
    return TOPICS.analyticsIndicators.name;
  }

  /** High watermark of every partition of the topic now. */
  async highWatermarks(): Promise<Map<number, bigint>> {
    const ends = await this.kafka.withAdmin((admin) => admin.fetchTopicOffsets(this.topic));
    return new Map(ends.map((end) => [end.partition, BigInt(end.high)]));
  }

  /** Starts reading at the topic's current end: only what is published from now on. */
  async start(): Promise<void> {
    for (const [partition, high] of await this.highWatermarks())
      this.positions.set(partition, high);
    this.running = await this.kafka.runConsumer({
      groupId: this.groupId,
      topics: [this.topic],
      // Never killed: a long session, so a slow fetch under load does not throw it out.
      sessionTimeoutMs: 30000,
      partitionsConsumedConcurrently: 6,
      // Seeks to its own positions on every join; before that, nothing old is worth fetching.
      startFrom: 'latest',
      startOffsets: async (assigned) =>
        assigned.map(({ topic, partition }) => ({
          topic,
          partition,
          offset: String(this.positions.get(partition) ?? 0n),
        })),
      onBatch: async (batch) => {
        for (const record of batch.records) {
          // Skip what was read before a rejoin (the fetch may start before the seek applies).
          if (BigInt(record.offset) < (this.positions.get(batch.partition) ?? 0n)) continue;
          this.take(record.key?.toString('utf8') ?? '', record.value, record.offset);
          this.positions.set(batch.partition, BigInt(record.offset) + 1n);
          batch.markProcessed(record.offset);
        }
      },
    });
  }

  private take(key: string, value: Buffer | null, offset: string): void {
    const [, divisionCode] = key.split('|');
    if (!divisionCode?.startsWith(this.divisionPrefix) || !value) return;
    this.messages += 1;
    const cell = JSON.parse(value.toString('utf8')) as { version: number; value: number | null };
    const before = this.cells.get(key);
    if (before && cell.version < before.version) {
      this.regressions.push(
        `${key}: version ${cell.version} (value ${cell.value}, offset ${offset}) after version ${before.version} (value ${before.value}, offset ${before.offset})`,
      );
      return;
    }
    if (before && cell.version === before.version && cell.value !== before.value) {
      this.regressions.push(
        `${key}: version ${cell.version} published with value ${before.value} (offset ${before.offset}) and ${cell.value} (offset ${offset})`,
      );
      return;
    }
    this.cells.set(key, { version: cell.version, value: cell.value, offset });
  }

  /** True once every partition has been read up to the given watermarks. */
  caughtUpWith(watermarks: Map<number, bigint>): boolean {
    return [...watermarks].every(
      ([partition, high]) => (this.positions.get(partition) ?? 0n) >= high,
    );
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    await this.kafka.disconnect();
  }
}
