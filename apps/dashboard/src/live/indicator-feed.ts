import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IndicatorCellChanged, type IndicatorCellChangedV1 } from '@ecomlog/contracts';
import { KafkaGateway, decodeRecord, type RunningConsumer } from '@ecomlog/messaging';
import type { AppLogger } from '@ecomlog/observability';
import { DashboardEnv } from '../config';
import { APP_LOGGER } from '@ecomlog/platform';
import { LatestVersions } from './latest-versions';

export type CellListener = (cell: IndicatorCellChangedV1) => void;

/**
 * The dashboard's live view of `analytics.indicators.v1`.
 *
 * Unlike the services' read models this keeps nothing: every dashboard process reads with a
 * consumer group of its own, starting at the latest offsets and never committing, so a restart
 * simply starts listening again (the page loads current numbers from the analytics query API and
 * only needs the changes from then on). Repeats and late arrivals are dropped by version.
 */
@Injectable()
export class IndicatorFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly listeners = new Set<CellListener>();
  private readonly versions = new LatestVersions();
  private consumer?: RunningConsumer;
  private running = false;
  readonly groupId: string;

  constructor(
    private readonly kafka: KafkaGateway,
    private readonly env: DashboardEnv,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    const host = hostname().replace(/[^A-Za-z0-9._-]/g, '-');
    this.groupId = `${env.CONSUMER_GROUP_PREFIX}dashboard.live.${host}.${process.pid}.${randomBytes(3).toString('hex')}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.kafka.runConsumer({
      groupId: this.groupId,
      topics: [this.env.INDICATORS_TOPIC],
      startFrom: 'latest',
      partitionsConsumedConcurrently: 3,
      sessionTimeoutMs: this.env.KAFKA_SESSION_TIMEOUT_MS,
      onBatch: async (batch) => {
        for (const record of batch.records) {
          const decoded = decodeRecord(record, [IndicatorCellChanged]);
          if (decoded.ok) this.offer(decoded.event.payload);
          else
            this.logger.warn(
              { topic: record.topic, partition: record.partition, offset: record.offset },
              `indicator event skipped: ${decoded.reason}`,
            );
          batch.markProcessed(record.offset);
        }
        await batch.heartbeat();
      },
    });
    this.running = true;
    this.logger.info({ group: this.groupId }, 'live indicator feed started');
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.consumer?.stop();
    await this.kafka.disconnect();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Passes a cell to every listener if it is newer than anything seen for its key. */
  offer(cell: IndicatorCellChangedV1): boolean {
    if (!this.versions.accept(IndicatorCellChanged.key(cell), cell.version)) return false;
    for (const listener of this.listeners) listener(cell);
    return true;
  }

  /** Returns the function that stops listening. */
  subscribe(listener: CellListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
