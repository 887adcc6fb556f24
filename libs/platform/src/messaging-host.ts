import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { ServiceEnv } from '@ecomlog/config';
import { BatchConsumerRunner, KafkaGateway, OutboxRelay } from '@ecomlog/messaging';
import type { AppLogger } from '@ecomlog/observability';
import { discoverEventHandlers, type DiscoveredHandler } from './event-consumer.decorator';
import { APP_LOGGER, SERVICE_ENV } from './tokens';

/**
 * Owns the service's event plumbing: starts the outbox relay and every `@ConsumesEvents` handler
 * of the application's providers (one consumer group each) once the application is up, and on
 * shutdown stops consuming (the chunk in hand commits), then flushes the outbox, before the
 * database pool closes.
 */
@Injectable()
export class MessagingHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly runners: BatchConsumerRunner<object>[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    private readonly relay: OutboxRelay,
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Discovered on every instance, so a handler declared wrongly fails start-up everywhere.
    const handlers = this.discoverHandlers();
    await this.relay.start();
    if (!this.env.CONSUMERS_ENABLED) {
      this.logger.info('CONSUMERS_ENABLED=false: this instance serves HTTP only');
      return;
    }
    for (const { consumer } of handlers) {
      const runner = new BatchConsumerRunner(consumer, this.kafka, this.dataSource, this.logger, {
        groupPrefix: this.env.CONSUMER_GROUP_PREFIX,
        sessionTimeoutMs: this.env.KAFKA_SESSION_TIMEOUT_MS,
      });
      await runner.start();
      this.runners.push(runner);
    }
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'shutting down: stopping consumers, flushing outbox');
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.disconnect();
  }

  private discoverHandlers(): DiscoveredHandler[] {
    return discoverEventHandlers(
      this.discovery
        .getProviders()
        // Request-scoped providers have no instance to run; values and factories' results are
        // scanned too (a factory may build a consumer class).
        .filter((wrapper) => wrapper.isDependencyTreeStatic())
        .map((wrapper): unknown => wrapper.instance)
        .filter(
          (instance): instance is object => typeof instance === 'object' && instance !== null,
        ),
    );
  }
}
