import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KafkaGateway } from '@ecomlog/messaging';
import { ParcelsEnv } from '../config';

/** How long one answer is reused: a flood of unknown sellers costs one admin round trip a second. */
export const FRESHNESS_CACHE_MS = 1000;

/**
 * Whether a read model has applied everything on its topic: the consumer's offsets stored in this
 * database (consumer_offset, written in the same transactions as the read model) against the
 * topic's end offsets. The order door asks it before saying a seller or a division does not exist,
 * so an enterprise registered moments ago, whose event parcels has not consumed yet, is answered
 * retry-later rather than refused. Any replica can ask (the offsets are in the shared database),
 * also one with CONSUMERS_ENABLED=false.
 */
@Injectable()
export class ReadModelFreshness {
  private readonly answers = new Map<string, { at: number; caughtUp: Promise<boolean> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    private readonly env: ParcelsEnv,
  ) {}

  /**
   * True when the group (without the deployment's prefix) has stored offsets at the end of every
   * partition of the topic, as seen at most FRESHNESS_CACHE_MS ago; false when it is behind or
   * when Kafka cannot be asked (then nobody can tell, and retry-later is the safe answer).
   */
  isCaughtUp(group: string, topic: string): Promise<boolean> {
    const key = `${group}\u0000${topic}`;
    const cached = this.answers.get(key);
    const now = Date.now();
    if (cached && now - cached.at < FRESHNESS_CACHE_MS) return cached.caughtUp;
    const caughtUp = this.measure(`${this.env.CONSUMER_GROUP_PREFIX}${group}`, topic).catch(
      () => false,
    );
    this.answers.set(key, { at: now, caughtUp });
    return caughtUp;
  }

  private async measure(groupId: string, topic: string): Promise<boolean> {
    const ends = await this.kafka.withAdmin((admin) => admin.fetchTopicOffsets(topic));
    const stored = await this.dataSource.query<{ partition: number; next_offset: string }[]>(
      'SELECT partition, next_offset FROM consumer_offset WHERE consumer_group = $1 AND topic = $2',
      [groupId, topic],
    );
    const next = new Map(stored.map((row) => [row.partition, BigInt(row.next_offset)]));
    // A partition without a stored row has been read up to its start at best.
    return ends.every((end) => (next.get(end.partition) ?? BigInt(end.low)) >= BigInt(end.high));
  }
}
