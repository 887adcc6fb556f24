import type { KafkaGateway } from '@ecomlog/messaging';
import {
  bootServiceUnderTest,
  stackKafka,
  uniqueSuffix,
  type HttpAgent,
  type ServiceUnderTest,
} from '@ecomlog/testing';
import { ParcelsEnv } from '../src/config';
import { AppModule } from '../src/app.module';

export type { HttpAgent };

export interface ParcelsTestApp extends ServiceUnderTest<ParcelsEnv> {
  courier(carrier: string): HttpAgent;
  /** A platform client's token bound to this platform code, e.g. taobao. */
  platform(platformCode: string): HttpAgent;
  /**
   * A Kafka client of the stack administrator (who may also write the registry's and the sites'
   * topics, standing in for them), disconnected on close.
   */
  kafka: KafkaGateway;
}

/**
 * The real parcels application (every module, consumers on) on a throwaway database with the real
 * Kafka and Redis, the consumers running under a consumer-group prefix of their own. Tokens are
 * registry-format EdDSA tokens signed with a key of this run and checked by the real AuthGuard.
 */
export async function startParcelsApp(name: string): Promise<ParcelsTestApp> {
  const parcels = await bootServiceUnderTest({
    service: 'parcels',
    name,
    envClass: ParcelsEnv,
    appModule: (env) => AppModule.register(env),
    // As main.ts: POST /v1/scans carries up to 1,000 scans.
    http: { bodyLimit: '4mb' },
    consumers: true,
  });
  const kafka = stackKafka(`it-parcels-${name}-${uniqueSuffix()}`);
  const { close } = parcels;
  return Object.assign(parcels, {
    courier: (carrier: string) => parcels.http(parcels.tokens.client('courier', { carrier })),
    platform: (platform: string) => parcels.http(parcels.tokens.client('platform', { platform })),
    kafka,
    async close() {
      await close();
      await kafka.disconnect();
    },
  });
}
