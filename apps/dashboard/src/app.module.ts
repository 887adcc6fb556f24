import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthGuard, JwksTokenVerifier, TokenVerifier } from '@ecomlog/auth';
import { ProblemDetailsFilter } from '@ecomlog/http';
import { KafkaGateway } from '@ecomlog/messaging';
import type { AppLogger } from '@ecomlog/observability';
import { DashboardEnv } from './config';
import { HealthController } from './health/health.controller';
import { IndicatorFeed } from './live/indicator-feed';
import { LiveController } from './live/live.controller';
import { SessionController } from './session/session.controller';
import { APP_LOGGER } from './tokens';

/**
 * The dashboard server: the live indicator feed, the session endpoint and health. Static files and
 * the service proxy are plain Express middleware (see main.ts). No PlatformModule: it insists on a
 * database (migrations at start, outbox relay) that a dashboard owning no data has no use for.
 */
@Module({})
export class AppModule {
  static register(env: DashboardEnv, logger: AppLogger): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, LiveController, SessionController],
      providers: [
        { provide: DashboardEnv, useValue: env },
        { provide: APP_LOGGER, useValue: logger },
        {
          provide: KafkaGateway,
          useFactory: () =>
            new KafkaGateway(env.kafkaBrokers, env.SERVICE_NAME, logger, env.kafkaCredentials),
        },
        IndicatorFeed,
        {
          provide: TokenVerifier,
          useFactory: () =>
            new JwksTokenVerifier(env.AUTH_JWKS_URL, {
              issuer: env.AUTH_ISSUER,
              audience: env.AUTH_AUDIENCE,
            }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useFactory: () => new ProblemDetailsFilter(logger) },
      ],
    };
  }
}
