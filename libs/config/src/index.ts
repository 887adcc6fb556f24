export { InvalidConfigurationError, validateEnv } from './validate-env';
export { ProcessEnv, ServiceEnv, toBoolean } from './service-env';
export { KafkaClientEnv } from './kafka-client-env';
