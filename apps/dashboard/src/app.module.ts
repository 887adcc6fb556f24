import { Module, type DynamicModule } from '@nestjs/common';
import type { AppLogger } from '@ecomlog/observability';
import { KafkaGateway } from '@ecomlog/messaging';
import {
  HealthController,
  PlatformCoreModule,
  READINESS_CHECKS,
  reachabilityCheck,
} from '@ecomlog/platform';
import { DashboardEnv } from './config';
import { IndicatorFeed } from './live/indicator-feed';
import { LiveController } from './live/live.controller';
import { SessionController } from './session/session.controller';

/**
 * The dashboard server: the live indicator feed, the session endpoint and health, on the
 * platform's core (configuration, logs, tokens, guards, problems, Kafka sign-in). It owns no data,
 * so it takes neither the data part (database, outbox, Redis) nor the consumer hosting. Ready
 * means Kafka answers and the live feed consumes; the services behind the proxy are not checked:
 * the page says in words which one is unavailable. Static files and the service proxy are plain
 * Express middleware (see main.ts).
 */
@Module({})
export class AppModule {
  static register(env: DashboardEnv, logger: AppLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformCoreModule.forRoot({ env, envClass: DashboardEnv, logger })],
      controllers: [HealthController, LiveController, SessionController],
      providers: [
        IndicatorFeed,
        {
          provide: READINESS_CHECKS,
          inject: [KafkaGateway, IndicatorFeed],
          useFactory: (kafka: KafkaGateway, feed: IndicatorFeed) => [
            reachabilityCheck('kafka', () => kafka.isReachable(), 4000),
            reachabilityCheck(
              'liveFeed',
              () => Promise.resolve(feed.isRunning),
              1000,
              'live feed not consuming',
            ),
          ],
        },
      ],
    };
  }
}
