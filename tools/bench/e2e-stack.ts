/**
 * The services of one end-to-end benchmark run, each a built process (dist/) on a database of the
 * run's own: a registry that issues the platform clients' tokens, parcels and analytics. Their
 * consumers start "from now": the shared topics' history is not replayed (see startFromNow).
 */
import { Client } from 'pg';
import type { KafkaGateway } from '@ecomlog/messaging';
import { ServiceProcess, adminToken, stack, waitFor } from '@ecomlog/testing';
import { TokenSource, request } from '../demo/demo-http';
import { demoCreditCode } from '../demo/county-plan';
import type { BenchCounty } from './e2e-workload';

/** What each service's consumers read (group without prefix → topic), besides the run's own topics. */
export const SHARED_SUBSCRIPTIONS: Record<'parcels' | 'analytics', Record<string, string>> = {
  parcels: {
    'parcels.site-read-model': 'sites.sites.v1',
    'parcels.enterprise-read-model': 'registry.enterprises.v1',
  },
  analytics: {
    'analytics.divisions': 'registry.divisions.v1',
    'analytics.enterprises': 'registry.enterprises.v1',
    'analytics.sites': 'sites.sites.v1',
    'analytics.activities': 'sites.activities.v1',
    'analytics.orders': 'parcels.orders.v1',
    'analytics.parcels': 'parcels.lifecycle.v1',
    'analytics.funds': 'funds.ledger.v1',
  },
};

/**
 * Stores, in the service's consumer_offset table, each group's position at the topic's current
 * end: the service's consumers (which seek to the stored offsets) then read only what comes next.
 */
export async function seedOffsetsAtEnd(
  kafka: KafkaGateway,
  database: string,
  groups: Record<string, string>,
  prefix: string,
): Promise<void> {
  const db = new Client({ ...stack.postgres, database });
  await db.connect();
  try {
    for (const [group, topic] of Object.entries(groups)) {
      const ends = await kafka.withAdmin((admin) => admin.fetchTopicOffsets(topic));
      for (const end of ends) {
        await db.query(
          `INSERT INTO consumer_offset (consumer_group, topic, partition, next_offset)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
          [`${prefix}${group}`, topic, end.partition, end.high],
        );
      }
    }
  } finally {
    await db.end();
  }
}

/**
 * Boots the service once without consumers (its migrations create consumer_offset), stops it,
 * seeds the offsets of its shared subscriptions at the topics' ends, and starts it for real.
 */
export async function startFromNow(
  kafka: KafkaGateway,
  service: 'parcels' | 'analytics',
  database: string,
  env: Record<string, string>,
  track: (process: ServiceProcess) => void,
): Promise<ServiceProcess> {
  const first = await ServiceProcess.create(service, database, {
    ...env,
    CONSUMERS_ENABLED: 'false',
  });
  track(first); // stopped again below, or by the caller's clean-up if start-up fails
  await startPatiently(first);
  await first.stop();
  await seedOffsetsAtEnd(
    kafka,
    database,
    SHARED_SUBSCRIPTIONS[service],
    env.CONSUMER_GROUP_PREFIX ?? '',
  );
  const running = await ServiceProcess.create(service, database, {
    ...env,
    CONSUMERS_ENABLED: 'true',
  });
  track(running);
  await startPatiently(running);
  return running;
}

/**
 * ServiceProcess.start gives a service 60 s to answer /ready; on a machine shared with other
 * test runs start-up can take longer, so a slow (not crashed) service gets five more minutes.
 */
export async function startPatiently(service: ServiceProcess): Promise<void> {
  try {
    await service.start();
  } catch (error) {
    if ((error as Error).message.includes('exited during start-up')) throw error;
    await waitFor(
      `${service.service} /ready at ${service.baseUrl}`,
      async () => (await fetch(`${service.baseUrl}/ready`)).status === 200,
      { timeoutMs: 300_000, intervalMs: 500 },
    );
  }
}

/**
 * In the run's registry: the synthetic province, city and county, one platform enterprise and one
 * platform client per platform; returns a token source per platform (client credentials).
 */
export async function platformTokens(
  registry: ServiceProcess,
  county: BenchCounty,
  platforms: readonly string[],
): Promise<Map<string, TokenSource>> {
  const admin = await adminToken(registry);
  for (const [code, name] of [
    [county.province, '基准测试省'],
    [county.city, '基准测试市'],
    [county.county, '基准测试县'],
  ]) {
    await request('PUT', `${registry.baseUrl}/v1/divisions/${code}`, {
      token: admin,
      body: { name },
    });
  }
  const tokens = new Map<string, TokenSource>();
  for (const platform of platforms) {
    const enterprise = await request<{ id: string }>('POST', `${registry.baseUrl}/v1/enterprises`, {
      token: admin,
      body: {
        creditCode: demoCreditCode(county.county, `bench-platform-${platform}`, '1'),
        name: `${platform} 基准测试服务中心`,
        kinds: ['platform'],
        registeredDivisionCode: county.county,
        registeredOn: '2020-01-01',
        taxRegisteredLocally: true,
        independentLegalEntity: true,
      },
    });
    const client = await request<{ clientId: string; clientSecret: string }>(
      'POST',
      `${registry.baseUrl}/v1/clients`,
      {
        token: admin,
        body: {
          name: `${platform} bench`,
          kind: 'platform',
          enterpriseId: enterprise.id,
          platformCode: platform,
        },
      },
    );
    const source = TokenSource.client(registry.baseUrl, client.clientId, client.clientSecret);
    await source.token();
    tokens.set(platform, source);
  }
  return tokens;
}
