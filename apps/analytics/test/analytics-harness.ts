import type { DataSource } from 'typeorm';
import { TOPICS, type EventDefinition } from '@ecomlog/contracts';
import { KafkaGateway, publishEvents } from '@ecomlog/messaging';
import {
  bootServiceUnderTest,
  waitFor,
  type HttpAgent,
  type ServiceUnderTest,
  stackKafka,
} from '@ecomlog/testing';
import { AppModule } from '../src/app.module';
import { AnalyticsEnv } from '../src/config';
import { IndicatorPublisher } from '../src/publishing/indicator-publisher.service';
import { resetDerivedState } from '../src/rebuild/rebuild';

export type { HttpAgent };

const CONSUMED = [
  ['analytics.divisions', TOPICS.registryDivisions.name],
  ['analytics.enterprises', TOPICS.registryEnterprises.name],
  ['analytics.sites', TOPICS.sitesSites.name],
  ['analytics.activities', TOPICS.sitesActivities.name],
  ['analytics.orders', TOPICS.parcelOrders.name],
  ['analytics.parcels', TOPICS.parcelLifecycle.name],
  ['analytics.funds', TOPICS.fundsLedger.name],
] as const;

export interface AnalyticsTestApp extends ServiceUnderTest<AnalyticsEnv> {
  kafka: KafkaGateway;
  publish<T extends object>(definition: EventDefinition<T>, payloads: T[]): Promise<void>;
  /** Waits until every consumer has applied everything produced so far and the cells are published. */
  caughtUp(): Promise<void>;
  /** Stops the service, drops every aggregate and offset (the rebuild), and starts it again. */
  rebuild(): Promise<void>;
}

/** A consumer position: where a group of this run reads (or has read up to) a partition. */
interface Position {
  group: string;
  topic: string;
  partition: number;
  offset: bigint;
}

/**
 * The real analytics application on a throwaway database with the real Kafka and Redis. With
 * `fromNow` (the default) its consumers start at the current end of the shared topics, so a test
 * sees only the events it produces instead of replaying every earlier run's.
 */
export async function startAnalyticsApp(
  name: string,
  options: { fromNow?: boolean } = {},
): Promise<AnalyticsTestApp> {
  const kafka = stackKafka(`it-analytics-${name}`);
  const consumersOn = { CONSUMERS_ENABLED: 'true' };

  /** The current end of every consumed topic partition, as this run's consumer positions. */
  async function topicEnds(groupPrefix: string): Promise<Position[]> {
    const ends = await kafka.withAdmin(async (admin) =>
      Promise.all(
        CONSUMED.map(async ([group, topic]) =>
          (await admin.fetchTopicOffsets(topic)).map((end) => ({
            group: `${groupPrefix}${group}`,
            topic,
            partition: end.partition,
            offset: BigInt(end.high),
          })),
        ),
      ),
    );
    return ends.flat();
  }

  // Where this run's consumers start: the topics' current ends (or, without fromNow, offset 0).
  // Migrated with the consumers off, the start positions are stored before any consumer runs.
  const analytics = await bootServiceUnderTest({
    service: 'analytics',
    name,
    envClass: AnalyticsEnv,
    appModule: (env) => AppModule.register(env),
    consumers: false,
    env: { INDICATOR_PUBLISH_INTERVAL_MS: '200' },
  });
  const groupPrefix = analytics.env.CONSUMER_GROUP_PREFIX;
  const startPositions = (options.fromNow ?? true) ? await topicEnds(groupPrefix) : [];
  const seedStartPositions = async (dataSource: DataSource): Promise<void> => {
    await dataSource.query(
      `INSERT INTO consumer_offset (consumer_group, topic, partition, next_offset)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) ON CONFLICT DO NOTHING`,
      [
        startPositions.map((p) => p.group),
        startPositions.map((p) => p.topic),
        startPositions.map((p) => p.partition),
        startPositions.map((p) => String(p.offset)),
      ],
    );
  };
  try {
    await seedStartPositions(analytics.dataSource);
    await analytics.restart(consumersOn);
  } catch (error) {
    await analytics.close();
    await kafka.disconnect();
    throw error;
  }

  /** Waits until the offsets stored with the aggregates reach `targets`. */
  async function waitApplied(dataSource: DataSource, targets: Position[]): Promise<void> {
    await waitFor(
      'analytics consumers to apply everything produced so far',
      async () => {
        const stored = await dataSource.query<
          { consumer_group: string; topic: string; partition: number; next_offset: string }[]
        >('SELECT consumer_group, topic, partition, next_offset FROM consumer_offset');
        const behind = targets.filter((target) => {
          const row = stored.find(
            (s) =>
              s.consumer_group === target.group &&
              s.topic === target.topic &&
              s.partition === target.partition,
          );
          return target.offset > BigInt(row?.next_offset ?? 0);
        });
        if (behind.length === 0) return true;
        throw new Error(`behind on ${behind.map((b) => `${b.topic}[${b.partition}]`).join(', ')}`);
      },
      { timeoutMs: 180_000, intervalMs: 200 },
    );
  }

  const close = analytics.close;
  return Object.assign(analytics, {
    kafka,
    publish: <T extends object>(definition: EventDefinition<T>, payloads: T[]) =>
      publishEvents(kafka, definition, payloads, 'it/analytics'),
    async caughtUp() {
      // Other runs may keep producing to the shared topics: wait for what was produced until
      // now, not for an end that keeps moving.
      const dataSource = analytics.dataSource;
      await waitApplied(dataSource, await topicEnds(groupPrefix));
      const [{ now }] = await dataSource.query<{ now: Date }[]>('SELECT clock_timestamp() AS now');
      await waitFor(
        'every cell changed so far to be published',
        async () => {
          const [{ waiting }] = await dataSource.query<{ waiting: string }[]>(
            'SELECT count(*) AS waiting FROM dirty_cell WHERE marked_at <= $1',
            [now],
          );
          if (Number(waiting) === 0) return true;
          throw new Error(`${waiting} cells still to publish`);
        },
        { timeoutMs: 180_000, intervalMs: 200 },
      );
      // The answer cache is invalidated just after the publisher's commit.
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
    async rebuild() {
      await analytics.restart({ CONSUMERS_ENABLED: 'false' });
      await resetDerivedState(analytics.dataSource, groupPrefix);
      // The shared dev topics hold every earlier run: this run's "beginning" is where it started.
      await seedStartPositions(analytics.dataSource);
      // As `npm run analytics:rebuild` does: replay with the publisher off, then publish once.
      await analytics.restart({ ...consumersOn, INDICATOR_PUBLISH_INTERVAL_MS: '0' });
      await waitApplied(analytics.dataSource, await topicEnds(groupPrefix));
      await analytics.app.get(IndicatorPublisher).publishPending();
      await analytics.restart(consumersOn);
    },
    async close() {
      try {
        await close();
      } finally {
        await kafka.disconnect();
      }
    },
  });
}
