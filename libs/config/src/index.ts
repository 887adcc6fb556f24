export { InvalidConfigurationError, validateEnv } from './validate-env';
export { ProcessEnv, ServiceEnv, toBoolean } from './service-env';
export { IsKafkaTopic, KafkaClientEnv } from './kafka-client-env';
