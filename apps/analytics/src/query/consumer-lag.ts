import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KafkaGateway } from '@ecomlog/messaging';
import { AnalyticsEnv } from '../config';

export interface LagReport {
  /** Messages not yet applied, over every analytics consumer and partition. */
  totalLag: number;
  /** Cells marked for recomputation and not yet published. */
  pendingCells: number;
  /** How long the oldest unpublished change has waited (0 when none): the topic's staleness. */
  oldestPendingCellAgeMs: number;
  consumers: { group: string; topic: string; lag: number }[];
}

const CONSUMED_TOPICS: Record<string, string> = {
  'analytics.divisions': 'registry.divisions.v1',
  'analytics.enterprises': 'registry.enterprises.v1',
  'analytics.sites': 'sites.sites.v1',
  'analytics.activities': 'sites.activities.v1',
  'analytics.orders': 'parcels.orders.v1',
  'analytics.parcels': 'parcels.lifecycle.v1',
  'analytics.funds': 'funds.ledger.v1',
};

/** Compares the offsets stored with the aggregates to the topics' high watermarks. */
@Injectable()
export class ConsumerLag {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    private readonly env: AnalyticsEnv,
  ) {}

  async report(): Promise<LagReport> {
    const stored = await this.dataSource.query<
      { consumer_group: string; topic: string; partition: number; next_offset: string }[]
    >('SELECT consumer_group, topic, partition, next_offset FROM consumer_offset');
    const consumers: LagReport['consumers'] = [];
    await this.kafka.withAdmin(async (admin) => {
      for (const [group, topic] of Object.entries(CONSUMED_TOPICS)) {
        const groupId = `${this.env.CONSUMER_GROUP_PREFIX}${group}`;
        const ends = await admin.fetchTopicOffsets(topic);
        let lag = 0;
        for (const end of ends) {
          const row = stored.find(
            (s) =>
              s.consumer_group === groupId && s.topic === topic && s.partition === end.partition,
          );
          const next = BigInt(row?.next_offset ?? end.low);
          const high = BigInt(end.high);
          lag += Number(high > next ? high - next : 0n);
        }
        consumers.push({ group: groupId, topic, lag });
      }
    });
    const [{ pending, oldest }] = await this.dataSource.query<
      { pending: string; oldest: Date | null }[]
    >('SELECT count(*) AS pending, min(marked_at) AS oldest FROM dirty_cell');
    return {
      totalLag: consumers.reduce((t, c) => t + c.lag, 0),
      pendingCells: Number(pending),
      oldestPendingCellAgeMs:
        oldest === null ? 0 : Math.max(0, Date.now() - new Date(oldest).getTime()),
      consumers,
    };
  }
}
