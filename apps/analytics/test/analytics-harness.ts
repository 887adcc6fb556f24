import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TokenVerifier, type OfficialRole } from '@ecomlog/auth';
import { validateEnv } from '@ecomlog/config';
import { TOPICS, type EventDefinition } from '@ecomlog/contracts';
import { KafkaGateway, publishEvents } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { configureHttp } from '@ecomlog/platform';
import { TestTokenIssuer } from '@ecomlog/test-tokens';
import { serviceTestEnv, stack, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { AppModule } from '../src/app.module';
import { AnalyticsEnv } from '../src/config';
import { IndicatorPublisher } from '../src/publishing/indicator-publisher.service';
import { resetDerivedState } from '../src/rebuild/rebuild';

export type HttpAgent = ReturnType<typeof request.agent>;

const CONSUMED = [
  ['analytics.divisions', TOPICS.registryDivisions.name],
  ['analytics.enterprises', TOPICS.registryEnterprises.name],
  ['analytics.sites', TOPICS.sitesSites.name],
  ['analytics.activities', TOPICS.sitesActivities.name],
  ['analytics.orders', TOPICS.parcelOrders.name],
  ['analytics.parcels', TOPICS.parcelLifecycle.name],
  ['analytics.funds', TOPICS.fundsLedger.name],
] as const;

export interface AnalyticsTestApp {
  readonly app: NestExpressApplication;
  readonly dataSource: DataSource;
  env: AnalyticsEnv;
  kafka: KafkaGateway;
  official(roles: OfficialRole[], region: string): HttpAgent;
  publish<T extends object>(definition: EventDefinition<T>, payloads: T[]): Promise<void>;
  /** Waits until every consumer has applied everything produced so far and the cells are published. */
  caughtUp(): Promise<void>;
  /** Stops the service (consumers, publisher), keeping the database. */
  stop(): Promise<void>;
  /** Stops the service, drops every aggregate and offset (the rebuild), and starts it again. */
  rebuild(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real analytics application on a throwaway database with the real Kafka and Redis. With
 * `fromNow` (the default) its consumers start at the current end of the shared topics, so a test
 * sees only the events it produces instead of replaying every earlier run's.
 */
export async function startAnalyticsApp(
  name: string,
  options: { database?: string; groupPrefix?: string; fromNow?: boolean } = {},
): Promise<AnalyticsTestApp> {
  const database = options.database ?? `it_analytics_${name}_${uniqueSuffix()}`;
  const groupPrefix = options.groupPrefix ?? `it-${name}-${uniqueSuffix()}-`;
  await ensureDatabaseExists({ ...stack.postgres, database });
  const kafka = new KafkaGateway(
    stack.kafkaBrokers,
    `it-analytics-${name}`,
    createLogger('it', 'error'),
    stack.kafkaAdmin,
  );
  const envOf = (consumers: boolean, publishIntervalMs = '200'): AnalyticsEnv =>
    validateEnv(
      AnalyticsEnv,
      serviceTestEnv('analytics', database, {
        CONSUMERS_ENABLED: String(consumers),
        CONSUMER_GROUP_PREFIX: groupPrefix,
        INDICATOR_PUBLISH_INTERVAL_MS: publishIntervalMs,
      }),
    );
  const tokens = new TestTokenIssuer({
    issuer: envOf(false).AUTH_ISSUER,
    audience: envOf(false).AUTH_AUDIENCE,
  });

  const boot = async (
    consumers: boolean,
    publishIntervalMs?: string,
  ): Promise<NestExpressApplication> => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register(envOf(consumers, publishIntervalMs))],
    })
      .overrideProvider(TokenVerifier)
      .useValue(tokens.verifier())
      .compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    configureHttp(app, { title: 'analytics', description: 'integration test' });
    await app.init();
    return app;
  };

  // Where this run's consumers start: the topics' current ends (or, without fromNow, offset 0).
  let startPositions: { group: string; topic: string; partition: number; offset: string }[] = [];
  if (options.fromNow ?? true) {
    const ends = await kafka.withAdmin(async (admin) =>
      Promise.all(
        CONSUMED.map(async ([group, topic]) => ({
          group,
          topic,
          ends: await admin.fetchTopicOffsets(topic),
        })),
      ),
    );
    startPositions = ends.flatMap((e) =>
      e.ends.map((end) => ({
        group: `${groupPrefix}${e.group}`,
        topic: e.topic,
        partition: end.partition,
        offset: end.high,
      })),
    );
  }
  const seedStartPositions = async (dataSource: DataSource): Promise<void> => {
    await dataSource.query(
      `INSERT INTO consumer_offset (consumer_group, topic, partition, next_offset)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) ON CONFLICT DO NOTHING`,
      [
        startPositions.map((p) => p.group),
        startPositions.map((p) => p.topic),
        startPositions.map((p) => p.partition),
        startPositions.map((p) => p.offset),
      ],
    );
  };
  // Migrate, then store the start positions before any consumer runs.
  const migrator = await boot(false);
  await seedStartPositions(migrator.get(DataSource));
  await migrator.close();

  let app = await boot(true);
  let stopped = false;
  const agent = (token: string): HttpAgent =>
    request.agent(app.getHttpServer()).set('authorization', `Bearer ${token}`);

  /** The current end of every consumed topic partition, as this run's consumer positions. */
  async function topicEnds(): Promise<
    { group: string; topic: string; partition: number; offset: bigint }[]
  > {
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

  /** Waits until the offsets stored with the aggregates reach `targets`. */
  async function waitApplied(
    dataSource: DataSource,
    targets: { group: string; topic: string; partition: number; offset: bigint }[],
  ): Promise<void> {
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

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    await app.close();
  }

  return {
    get app() {
      return app;
    },
    get dataSource() {
      return app.get(DataSource);
    },
    env: envOf(true),
    kafka,
    official: (roles, region) => agent(tokens.official(roles, region)),
    publish: (definition, payloads) => publishEvents(kafka, definition, payloads, 'it/analytics'),
    async caughtUp() {
      // Other runs may keep producing to the shared topics: wait for what was produced until
      // now, not for an end that keeps moving.
      const dataSource = app.get(DataSource);
      await waitApplied(dataSource, await topicEnds());
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
    stop,
    async rebuild() {
      await stop();
      const resetter = await boot(false);
      await resetDerivedState(resetter.get(DataSource), groupPrefix);
      // The shared dev topics hold every earlier run: this run's "beginning" is where it started.
      await seedStartPositions(resetter.get(DataSource));
      await resetter.close();
      // As `npm run analytics:rebuild` does: replay with the publisher off, then publish once.
      const replay = await boot(true, '0');
      await waitApplied(replay.get(DataSource), await topicEnds());
      await replay.get(IndicatorPublisher).publishPending();
      await replay.close();
      app = await boot(true);
      stopped = false;
    },
    async close() {
      if (!stopped) await app.close();
      stopped = true;
      await kafka.disconnect();
      await dropDatabaseIfExists({ ...stack.postgres, database });
    },
  };
}
