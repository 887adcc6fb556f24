import { KafkaGateway } from '@ecomlog/messaging';
import { createLogger, type AppLogger } from '@ecomlog/observability';
import { stack, stackKafkaUser } from './stack-settings';

/**
 * A Kafka client of a test on the local stack's broker: signed in as the stack administrator, or
 * as another of the stack's users with `as` (e.g. `svc-registry`), logging errors only unless a
 * logger is given.
 */
export function stackKafka(
  clientId: string,
  options: { as?: string; logger?: AppLogger } = {},
): KafkaGateway {
  return new KafkaGateway(
    stack.kafkaBrokers,
    clientId,
    options.logger ?? createLogger('it', 'error'),
    options.as ? stackKafkaUser(options.as) : stack.kafkaAdmin,
  );
}
