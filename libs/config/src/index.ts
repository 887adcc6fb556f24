export { InvalidConfigurationError, validateEnv } from './validate-env';
export { ServiceEnv } from './service-env';
