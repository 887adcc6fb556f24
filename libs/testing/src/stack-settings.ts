/**
 * Where the local stack listens, from the same variables tools/stack/stack.sh reads, so tests
 * follow a stack started on other ports.
 */
export const stack = {
  postgres: {
    host: '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'ecomlog',
    password: process.env.PGPASSWORD ?? 'ecomlog',
  },
  kafkaBrokers: [`127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`],
  redisUrl: `redis://127.0.0.1:${process.env.REDIS_PORT ?? 6379}/0`,
};

/** A short random suffix so every test run uses its own databases, groups and keys. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
