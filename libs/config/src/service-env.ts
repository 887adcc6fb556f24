import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';
import { KafkaClientEnv } from './kafka-client-env';

// Implicit conversion would turn the string "false" into true, so read the raw value from obj.
export const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const raw = obj[key];
  return typeof raw === 'string' ? ['1', 'true', 'yes'].includes(raw.toLowerCase()) : raw;
};

/**
 * Environment of every platform process, a service (ServiceEnv) or the dashboard: who it is, where
 * it listens, how it logs, how it verifies the registry's tokens and how its consumers join Kafka
 * groups. A process's own configuration class extends ServiceEnv, or this one when it owns no data.
 */
export class ProcessEnv extends KafkaClientEnv {
  /** Logical service name, used as CloudEvents source, Kafka client id and log field. */
  @IsString()
  @Matches(/^[a-z][a-z0-9-]*$/, {
    message: 'SERVICE_NAME must be lower-case letters, digits and dashes',
  })
  SERVICE_NAME!: string;

  @IsString()
  @IsNotEmpty()
  HTTP_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT!: number;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  // --- Authentication: tokens are signed by the registry and verified with its public keys ---
  @Matches(/^https?:\/\/.+/, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL: string = 'http://127.0.0.1:3001/.well-known/jwks.json';

  @IsString()
  @IsNotEmpty()
  AUTH_ISSUER: string = 'ecomlog-registry';

  @IsString()
  @IsNotEmpty()
  AUTH_AUDIENCE: string = 'ecomlog';

  /** A consumer missing heartbeats this long is dropped from its group (Kafka's floor is 6 s). */
  @IsInt()
  @Min(6000)
  @Max(300000)
  KAFKA_SESSION_TIMEOUT_MS: number = 30000;

  /**
   * Prepended to every consumer group id. A service's groups belong to its database (offsets are
   * stored there), so two deployments sharing a broker, or a test run, need their own prefix; the
   * dashboard's live feed reads with a group of its own per process (this prefix, the host name,
   * the process id and a random part) from the latest offsets.
   */
  @Matches(/^[A-Za-z0-9._-]*$/, {
    message: 'CONSUMER_GROUP_PREFIX may only hold letters, digits and . _ -',
  })
  CONSUMER_GROUP_PREFIX: string = '';
}

/**
 * Environment shared by every service (a process that owns a database; see ProcessEnv for what
 * the dashboard shares too). A service's own configuration class extends this one and adds what
 * only it needs; nothing reads process.env outside such a class.
 */
export class ServiceEnv extends ProcessEnv {
  // --- PostgreSQL: one database per service ---
  @IsString()
  @IsNotEmpty()
  DB_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  DB_PORT: number = 5432;

  @IsString()
  @IsNotEmpty()
  DB_USER!: string;

  @IsString()
  DB_PASSWORD!: string;

  @IsString()
  @Matches(/^[a-z_][a-z0-9_]*$/, { message: 'DB_NAME must be a lower-case SQL identifier' })
  DB_NAME!: string;

  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 10;

  // --- Redis ---
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like redis://host:port/db' })
  REDIS_URL: string = 'redis://127.0.0.1:6379/0';

  /** Requests one authenticated caller may make per minute to this service (0 = unlimited). */
  @IsInt()
  @Min(0)
  @Max(1000000)
  RATE_LIMIT_PER_MINUTE: number = 1200;

  /** Milliseconds between outbox relay polls when no local commit nudged it. */
  @IsInt()
  @Min(10)
  @Max(60000)
  OUTBOX_POLL_MS: number = 250;

  /** Outbox rows one relay poll publishes in one produce call (larger: fewer round trips). */
  @IsInt()
  @Min(1)
  @Max(10000)
  OUTBOX_BATCH_SIZE: number = 1000;

  /** Start Kafka consumers in this process (off for an HTTP-only replica). */
  @Transform(toBoolean)
  @IsBoolean()
  CONSUMERS_ENABLED: boolean = true;
}
