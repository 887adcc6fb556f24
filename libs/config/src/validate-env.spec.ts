import { InvalidConfigurationError, IsKafkaTopic, ServiceEnv, validateEnv } from './index';

class TopicEnv extends ServiceEnv {
  @IsKafkaTopic()
  SOME_TOPIC: string = 'parcels.scans.v1';
}

const valid = {
  SERVICE_NAME: 'registry',
  HTTP_PORT: '3001',
  DB_USER: 'ecomlog',
  DB_PASSWORD: 'secret',
  DB_NAME: 'registry',
  KAFKA_USERNAME: 'svc-registry',
  KAFKA_PASSWORD: 'secret',
};

describe('validateEnv', () => {
  it('converts numbers and applies defaults', () => {
    const env = validateEnv(ServiceEnv, valid);
    expect(env.HTTP_PORT).toBe(3001);
    expect(env.DB_PORT).toBe(5432);
    expect(env.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(env.KAFKA_SASL_MECHANISM).toBe('plain');
    expect(env.CONSUMERS_ENABLED).toBe(true);
  });

  it('parses booleans from words', () => {
    expect(
      validateEnv(ServiceEnv, { ...valid, CONSUMERS_ENABLED: 'false' }).CONSUMERS_ENABLED,
    ).toBe(false);
  });

  it('lists every missing or invalid variable in one error, hiding secrets', () => {
    let caught: unknown;
    try {
      validateEnv(ServiceEnv, {
        SERVICE_NAME: 'Bad Name',
        HTTP_PORT: 'abc',
        DB_PASSWORD: 'x',
        KAFKA_BROKERS: 'nope',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidConfigurationError);
    const message = (caught as Error).message;
    expect(message).toContain('SERVICE_NAME');
    expect(message).toContain('HTTP_PORT');
    expect(message).toContain('DB_USER');
    expect(message).toContain('it is not set');
    expect(message).toContain('DB_NAME');
    expect(message).toContain('KAFKA_BROKERS must be a comma-separated list');
    expect(message).toContain('KAFKA_PASSWORD must be set');
    expect(message).not.toContain('"x"');
  });

  it('checks a topic variable as a Kafka topic name, naming the variable', () => {
    expect(validateEnv(TopicEnv, valid).SOME_TOPIC).toBe('parcels.scans.v1');
    expect(() => validateEnv(TopicEnv, { ...valid, SOME_TOPIC: 'no spaces' })).toThrow(
      'SOME_TOPIC must be a Kafka topic name',
    );
  });
});
