export { InvalidConfigurationError, validateEnv } from './validate-env';
export { ServiceEnv, toBoolean } from './service-env';
export { KafkaClientEnv } from './kafka-client-env';
