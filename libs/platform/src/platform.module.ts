import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { AuthGuard, JwksTokenVerifier, RateLimitGuard, TokenVerifier } from '@ecomlog/auth';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { ServiceEnv } from '@ecomlog/config';
import {
  IdempotencyInterceptor,
  MediaTypeGuard,
  ProblemDetailsFilter,
  createValidationPipe,
} from '@ecomlog/http';
import {
  KafkaGateway,
  MESSAGING_ENTITIES,
  MESSAGING_MIGRATIONS,
  OutboxRelay,
  OutboxWriter,
} from '@ecomlog/messaging';
import { createLogger, type AppLogger } from '@ecomlog/observability';
import { serviceDataSourceOptions, type ServiceDataSourceOptions } from '@ecomlog/persistence';
import { AuditEntry } from './audit/audit-entry.entity';
import { AuditLog1732000000500 } from './audit/1732000000500-AuditLog';
import { AuditController } from './audit/audit.controller';
import { AuditTrail } from './audit/audit-trail';
import { HealthController } from './health.controller';
import { MessagingHost } from './messaging-host';
import { APP_LOGGER, REDIS, SERVICE_ENV } from './tokens';

export interface PlatformOptions<E extends ServiceEnv> {
  env: E;
  /** The service's configuration class, so features can inject it by type. */
  envClass: Type<E>;
  entities: ServiceDataSourceOptions['entities'];
  migrations: ServiceDataSourceOptions['migrations'];
  /** Tests pass a quieter logger. */
  logger?: AppLogger;
}

/** Closes the Redis connection after the HTTP server and consumers have stopped. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Everything a service stands on: validated configuration, JSON logging, its own PostgreSQL
 * database (migrated at start), Redis, Kafka, the outbox writer and relay, consumer hosting,
 * problem+json errors, validation, idempotency, /health, /ready and /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService<E extends ServiceEnv>(options: PlatformOptions<E>): DynamicModule {
    const { env } = options;
    const logger = options.logger ?? createLogger(env.SERVICE_NAME, env.LOG_LEVEL);
    const database = {
      host: env.DB_HOST,
      port: env.DB_PORT,
      user: env.DB_USER,
      password: env.DB_PASSWORD,
      database: env.DB_NAME,
      poolSize: env.DB_POOL_SIZE,
    };
    return {
      module: PlatformModule,
      imports: [
        DiscoveryModule,
        TypeOrmModule.forRoot({
          ...serviceDataSourceOptions(database, {
            applicationName: env.SERVICE_NAME,
            entities: [...MESSAGING_ENTITIES, AuditEntry, ...(options.entities as [])],
            migrations: [
              ...MESSAGING_MIGRATIONS,
              AuditLog1732000000500,
              ...(options.migrations as []),
            ],
          }),
          migrationsRun: true,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
      controllers: [HealthController, AuditController],
      providers: [
        { provide: SERVICE_ENV, useValue: env },
        { provide: options.envClass, useValue: env },
        { provide: APP_LOGGER, useValue: logger },
        {
          provide: REDIS,
          useFactory: () =>
            new Redis(env.REDIS_URL, {
              maxRetriesPerRequest: 2,
              connectTimeout: 3000,
              enableOfflineQueue: true,
            }),
        },
        {
          provide: KafkaGateway,
          useFactory: () =>
            new KafkaGateway(env.kafkaBrokers, env.SERVICE_NAME, logger, env.kafkaCredentials),
        },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(env.SERVICE_NAME) },
        {
          provide: OutboxRelay,
          inject: [DataSource, KafkaGateway],
          useFactory: (dataSource: DataSource, kafka: KafkaGateway) =>
            new OutboxRelay(dataSource, kafka, logger, {
              pollIntervalMs: env.OUTBOX_POLL_MS,
              batchSize: env.OUTBOX_BATCH_SIZE,
              retainPublishedMs: 24 * 60 * 60 * 1000,
              listen: {
                host: database.host,
                port: database.port,
                user: database.user,
                password: database.password,
                database: database.database,
              },
            }),
        },
        MessagingHost,
        AuditTrail,
        RedisCloser,
        { provide: APP_FILTER, useFactory: () => new ProblemDetailsFilter(logger) },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        {
          provide: TokenVerifier,
          useFactory: () =>
            new JwksTokenVerifier(env.AUTH_JWKS_URL, {
              issuer: env.AUTH_ISSUER,
              audience: env.AUTH_AUDIENCE,
            }),
        },
        // A body in a media type nobody parsed is refused (415) before anything else looks at it.
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        // Registered after AuthGuard, so it sees the authenticated principal.
        {
          provide: APP_GUARD,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new RateLimitGuard(redis, {
              perMinute: env.RATE_LIMIT_PER_MINUTE,
              namespace: env.SERVICE_NAME,
            }),
        },
        {
          provide: APP_INTERCEPTOR,
          inject: [REDIS],
          useFactory: (redis: Redis) => new IdempotencyInterceptor(redis, env.SERVICE_NAME),
        },
      ],
      exports: [
        AuditTrail,
        TokenVerifier,
        SERVICE_ENV,
        options.envClass,
        APP_LOGGER,
        REDIS,
        KafkaGateway,
        OutboxWriter,
        OutboxRelay,
      ],
    };
  }
}
