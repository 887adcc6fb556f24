import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { RateLimitGuard } from '@ecomlog/auth';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { ServiceEnv } from '@ecomlog/config';
import { IdempotencyInterceptor } from '@ecomlog/http';
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
import { PlatformCoreModule } from './core.module';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS } from './health/readiness-check';
import {
  consumerGroupsCheck,
  databaseCheck,
  kafkaCheck,
  redisCheck,
} from './health/service-checks';
import { MessagingHost } from './messaging-host';
import { REDIS } from './tokens';

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

/** Per-caller request budgets, counted in Redis so all replicas share them. */
@Module({})
class RateLimitModule {
  static forRoot(env: ServiceEnv): DynamicModule {
    return {
      module: RateLimitModule,
      providers: [
        {
          provide: APP_GUARD,
          inject: [REDIS],
          useFactory: (redis: Redis) =>
            new RateLimitGuard(redis, {
              perMinute: env.RATE_LIMIT_PER_MINUTE,
              namespace: env.SERVICE_NAME,
            }),
        },
      ],
    };
  }
}

/**
 * Everything a service stands on: the core (PlatformCoreModule: configuration, logging, tokens,
 * guards, problem+json, validation, Kafka sign-in), the data part (its own PostgreSQL database
 * migrated at start, the outbox writer, the audit trail, Redis with rate limits and idempotency)
 * and the messaging part (outbox relay, consumer hosting), with /health, /ready and /metrics.
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
        PlatformCoreModule.forRoot({ env, envClass: options.envClass, logger }),
        // After the core: global guards apply in module order, and the budget is per caller.
        RateLimitModule.forRoot(env),
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
          provide: READINESS_CHECKS,
          inject: [DataSource, KafkaGateway, REDIS],
          useFactory: (dataSource: DataSource, kafka: KafkaGateway, redis: Redis) => [
            databaseCheck(dataSource),
            kafkaCheck(kafka),
            redisCheck(redis),
            consumerGroupsCheck(kafka),
          ],
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
        {
          provide: APP_INTERCEPTOR,
          inject: [REDIS],
          useFactory: (redis: Redis) => new IdempotencyInterceptor(redis, env.SERVICE_NAME),
        },
      ],
      exports: [AuditTrail, REDIS, OutboxWriter, OutboxRelay],
    };
  }
}
