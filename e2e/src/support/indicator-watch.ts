import { TOPICS } from '@ecomlog/contracts';
import { KafkaGateway, type RunningConsumer } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { stack } from '@ecomlog/testing';

export interface WatchedCell {
  version: number;
  value: number | null;
  offset: string;
}

interface WatchedMessage extends WatchedCell {
  key: string;
  /** CloudEvents id: tells this run's analytics' messages from any other instance's. */
  id: string;
}

/**
 * Reads analytics.indicators.v1 from given positions and keeps every message of the keys under
 * one division prefix, in topic order. Every analytics instance on the broker (the development
 * stack's, other suites') publishes cells of whatever it consumed, with versions of its own, to
 * the same keys: `analyse` therefore judges only the messages whose CloudEvents ids this run's
 * analytics wrote to its outbox. Its positions are its own, so a rejoin after a broker restart
 * resumes where it was instead of rereading.
 */
export class IndicatorWatch {
  private readonly messages: WatchedMessage[] = [];
  private readonly positions = new Map<number, bigint>();
  private readonly kafka: KafkaGateway;
  private running?: RunningConsumer;

  constructor(
    private readonly divisionPrefix: string,
    private readonly groupId: string,
  ) {
    this.kafka = new KafkaGateway(
      stack.kafkaBrokers,
      groupId,
      createLogger('e2e-watch', 'fatal'),
      stack.kafkaAdmin,
    );
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
          this.take(
            record.key?.toString('utf8') ?? '',
            record.value,
            record.offset,
            record.headers,
          );
          this.positions.set(batch.partition, BigInt(record.offset) + 1n);
          batch.markProcessed(record.offset);
        }
      },
    });
  }

  private take(
    key: string,
    value: Buffer | null,
    offset: string,
    headers: Record<string, string>,
  ): void {
    const [, divisionCode] = key.split('|');
    if (!divisionCode?.startsWith(this.divisionPrefix) || !value) return;
    const cell = JSON.parse(value.toString('utf8')) as { version: number; value: number | null };
    this.messages.push({
      key,
      id: headers.ce_id ?? '',
      version: cell.version,
      value: cell.value,
      offset,
    });
  }

  /**
   * Per key, in topic order, over the messages of `ownIds` only: the highest version and its
   * value, and every message whose version is lower than one already seen (a regression) or
   * equal with another value (a version reused for a different value).
   */
  analyse(ownIds: Set<string>): {
    cells: Map<string, WatchedCell>;
    regressions: string[];
    own: number;
    foreign: number;
  } {
    const cells = new Map<string, WatchedCell>();
    const regressions: string[] = [];
    let own = 0;
    const at = (m: WatchedCell): string =>
      `version ${m.version} (value ${m.value}, offset ${m.offset})`;
    for (const message of this.messages) {
      if (!ownIds.has(message.id)) continue;
      own += 1;
      const before = cells.get(message.key);
      if (before && message.version < before.version) {
        regressions.push(`${message.key}: ${at(message)} after ${at(before)}`);
        continue;
      }
      if (before && message.version === before.version && message.value !== before.value) {
        regressions.push(`${message.key}: ${at(message)} and ${at(before)}`);
        continue;
      }
      cells.set(message.key, {
        version: message.version,
        value: message.value,
        offset: message.offset,
      });
    }
    return { cells, regressions, own, foreign: this.messages.length - own };
  }

  /** True once every partition has been read up to the given watermarks. */
  caughtUpWith(watermarks: Map<number, bigint>): boolean {
    return [...watermarks].every(
      ([partition, high]) => (this.positions.get(partition) ?? 0n) >= high,
    );
  }

  async stop(): Promise<void> {
    try {
      await this.running?.stop();
    } finally {
      // Whatever the consumer's stop did (e.g. after a broker restart), close every connection.
      await this.kafka.disconnect();
    }
  }
}
