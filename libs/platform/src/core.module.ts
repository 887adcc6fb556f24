import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard, JwksTokenVerifier, TokenVerifier } from '@ecomlog/auth';
import type { KafkaClientEnv } from '@ecomlog/config';
import { MediaTypeGuard, ProblemDetailsFilter, createValidationPipe } from '@ecomlog/http';
import { KafkaGateway } from '@ecomlog/messaging';
import type { AppLogger } from '@ecomlog/observability';
import { APP_LOGGER, SERVICE_ENV } from './tokens';

/** What every platform process is configured with, services and the dashboard alike. */
export interface CoreEnv extends KafkaClientEnv {
  SERVICE_NAME: string;
  AUTH_JWKS_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
}

export interface PlatformCoreOptions<E extends CoreEnv> {
  env: E;
  /** The process's configuration class, so features can inject it by type. */
  envClass: Type<E>;
  logger: AppLogger;
}

/**
 * What every platform process stands on, with or without a database: its validated
 * configuration and logger, token verification (JWKS) and the guards (415 for unread bodies,
 * authentication and roles), problem+json errors, validation, and its Kafka sign-in. Health is
 * the HealthController with the process's own READINESS_CHECKS. PlatformModule adds the data
 * part (PostgreSQL, outbox, audit, Redis) and the messaging part (relay, consumers) for services.
 */
@Global()
@Module({})
export class PlatformCoreModule {
  static forRoot<E extends CoreEnv>({
    env,
    envClass,
    logger,
  }: PlatformCoreOptions<E>): DynamicModule {
    return {
      module: PlatformCoreModule,
      providers: [
        { provide: SERVICE_ENV, useValue: env },
        { provide: envClass, useValue: env },
        { provide: APP_LOGGER, useValue: logger },
        {
          provide: KafkaGateway,
          useFactory: () =>
            new KafkaGateway(env.kafkaBrokers, env.SERVICE_NAME, logger, env.kafkaCredentials),
        },
        {
          provide: TokenVerifier,
          useFactory: () =>
            new JwksTokenVerifier(env.AUTH_JWKS_URL, {
              issuer: env.AUTH_ISSUER,
              audience: env.AUTH_AUDIENCE,
            }),
        },
        { provide: APP_FILTER, useFactory: () => new ProblemDetailsFilter(logger) },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // A body in a media type nobody parsed is refused (415) before anything else looks at it.
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [SERVICE_ENV, envClass, APP_LOGGER, KafkaGateway, TokenVerifier],
    };
  }
}
