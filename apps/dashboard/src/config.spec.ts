import { InvalidConfigurationError, validateEnv } from '@ecomlog/config';
import { DashboardEnv } from './config';

describe('DashboardEnv', () => {
  it('runs on the local stack with only its Kafka sign-in set (port 3006, services on 3001–3005)', () => {
    const env = validateEnv(DashboardEnv, {
      KAFKA_USERNAME: 'svc-dashboard',
      KAFKA_PASSWORD: 'pw',
    });
    expect(env.kafkaCredentials).toEqual({
      mechanism: 'plain',
      username: 'svc-dashboard',
      password: 'pw',
    });
    expect(env.HTTP_PORT).toBe(3006);
    expect(env.serviceUrls).toEqual({
      registry: 'http://127.0.0.1:3001',
      sites: 'http://127.0.0.1:3002',
      parcels: 'http://127.0.0.1:3003',
      funds: 'http://127.0.0.1:3004',
      analytics: 'http://127.0.0.1:3005',
    });
    expect(env.INDICATORS_TOPIC).toBe('analytics.indicators.v1');
  });

  it('names every invalid variable at once', () => {
    let error: unknown;
    try {
      validateEnv(DashboardEnv, { HTTP_PORT: 'abc', ANALYTICS_URL: 'analytics:3005' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    const problems = (error as InvalidConfigurationError).problems.join('\n');
    expect(problems).toContain('HTTP_PORT');
    expect(problems).toContain('ANALYTICS_URL must be an http(s) base URL');
    // No Kafka sign-in, no start: every client listener of the broker requires SASL.
    expect(problems).toContain('KAFKA_PASSWORD must be set');
  });
});
