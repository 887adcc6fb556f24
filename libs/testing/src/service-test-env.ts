import { serviceKafkaEnv, stack, stackDatabaseEnv, uniqueSuffix } from './stack-settings';

/**
 * The environment of a service under test: its own Kafka user, its own throwaway database and consumer-group prefix
 * on the local stack, quiet logs, no rate limit. Pass overrides for what a test needs changed. A
 * service without a database (the dashboard) passes none and gets no DB_* variables.
 */
export function serviceTestEnv(
  service: string,
  database: string | undefined,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...(database === undefined ? {} : stackDatabaseEnv(database)),
    // Signs in as the service's own Kafka user, so its ACLs are what the tests exercise.
    ...serviceKafkaEnv(service),
    REDIS_URL: stack.redisUrl,
    CONSUMERS_ENABLED: 'false',
    CONSUMER_GROUP_PREFIX: `it-${uniqueSuffix()}-`,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}
