import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The stack's state directory, as tools/stack/stack.sh resolves it (STACK_DIR or <repo>/.stack). */
const stackDir = process.env.STACK_DIR
  ? resolve(process.env.STACK_DIR)
  : resolve(__dirname, '..', '..', '..', '.stack');

let principals: Record<string, string> | undefined;

/**
 * The SASL PLAIN sign-in of one of the stack's static Kafka users (`admin`, `svc-parcels`, …),
 * from the owner-only principals.json the stack generated. Every client listener requires SASL.
 */
export function stackKafkaUser(username: string): {
  mechanism: 'plain';
  username: string;
  password: string;
} {
  const file = join(stackDir, 'kafka', 'principals.json');
  try {
    principals ??= JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new Error(
      `Cannot read the Kafka users of the local stack from ${file} (${error instanceof Error ? error.message : String(error)}): run npm run stack:up first.`,
      { cause: error },
    );
  }
  const password = principals[username];
  if (!password) throw new Error(`The local stack has no Kafka user ${username} (see ${file}).`);
  return { mechanism: 'plain', username, password };
}

/**
 * Where the local stack listens, from the same variables tools/stack/stack.sh reads, so tests
 * follow a stack started on other ports.
 */
export const stack = {
  dir: stackDir,
  postgres: {
    host: '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'ecomlog',
    password: process.env.PGPASSWORD ?? 'ecomlog',
  },
  kafkaBrokers: [`127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`],
  /** The stack administrator (a Kafka super user): test set-up, topics of a test's own, probes. */
  get kafkaAdmin() {
    return stackKafkaUser('admin');
  },
  /** The file the broker reads the registry's public keys from (a registry's KAFKA_JWKS_FILE). */
  kafkaJwksFile: join(stackDir, 'kafka', 'jwks.json'),
  redisUrl: `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6379}/0`,
};

/** The environment that connects a service process to `database` on the stack's PostgreSQL. */
export function stackDatabaseEnv(database: string): Record<string, string> {
  return {
    DB_HOST: stack.postgres.host,
    DB_PORT: String(stack.postgres.port),
    DB_USER: stack.postgres.user,
    DB_PASSWORD: stack.postgres.password,
    DB_NAME: database,
  };
}

/** The environment that signs a service process in to the stack's broker as `svc-<service>`. */
export function serviceKafkaEnv(service: string): Record<string, string> {
  const user = stackKafkaUser(`svc-${service}`);
  return {
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    KAFKA_SASL_MECHANISM: user.mechanism,
    KAFKA_USERNAME: user.username,
    KAFKA_PASSWORD: user.password,
  };
}

/** A short random suffix so every test run uses its own databases, groups and keys. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
