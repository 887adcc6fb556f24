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
import type { BenchCounty, BenchWorld } from './e2e-workload';

/** What each service's consumers read (group without prefix → topic), besides the run's own topics. */
export const SHARED_SUBSCRIPTIONS: Record<'parcels' | 'analytics', Record<string, string>> = {
  parcels: {
    'parcels.site-read-model': 'sites.sites.v1',
    'parcels.enterprise-read-model': 'registry.enterprises.v1',
    'parcels.division-read-model': 'registry.divisions.v1',
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

/**
 * In the run's registry, after parcels has started from now: the divisions the orders name (the
 * county's towns and villages where the sellers are, the synthetic "rest of China" the buyers are
 * in, the warm-up county) and every seller as an enterprise registered in its division, so the
 * order door takes them (SPEC 10.1). Returns once parcels' read models hold them all.
 */
export async function registerSellers(
  registry: ServiceProcess,
  parcelsDatabase: string,
  county: BenchCounty,
  world: BenchWorld,
): Promise<void> {
  const admin = await adminToken(registry);
  const put = (code: string, name: string): Promise<unknown> =>
    request('PUT', `${registry.baseUrl}/v1/divisions/${code}`, { token: admin, body: { name } });
  const divisions = new Map<string, string>([
    [`${county.outsidePrefix}0000000000`, '基准测试外省'],
  ]);
  for (const code of [...county.outside, county.warmUp]) {
    divisions.set(`${code.slice(0, 4)}00000000`, `外市${code.slice(2, 4)}`);
    divisions.set(code, `外县${code.slice(2, 6)}`);
  }
  for (const town of world.towns) divisions.set(town.code, town.name);
  for (const village of world.villages) divisions.set(village.code, village.name);
  // Parents first: the registry refuses a division whose parent it does not have.
  const codes = [...divisions.keys()].sort(
    (a, b) => a.replace(/0+$/, '').length - b.replace(/0+$/, '').length || a.localeCompare(b),
  );
  for (const code of codes) await put(code, divisions.get(code) ?? code);

  const sellers = [
    ...world.retailers.map((r) => ({
      creditCode: r.creditCode,
      name: r.name,
      division: r.divisionCode,
    })),
    {
      creditCode: demoCreditCode(county.county, 'bench-warm-up', '1'),
      name: '预热卖家',
      division: county.warmUp,
    },
  ];
  for (const seller of sellers) {
    await request('POST', `${registry.baseUrl}/v1/enterprises`, {
      token: admin,
      body: {
        creditCode: seller.creditCode,
        name: `基准测试${county.prefix}${seller.name}`,
        kinds: ['ecommerce_retailer'],
        registeredDivisionCode: seller.division,
        registeredOn: '2020-01-01',
        taxRegisteredLocally: true,
        independentLegalEntity: true,
      },
    });
  }

  const db = new Client({ ...stack.postgres, database: parcelsDatabase });
  await db.connect();
  try {
    await waitFor(
      'parcels to know the bench sellers and divisions',
      async () => {
        const { rows } = await db.query<{ enterprises: number; divisions: number }>(
          `SELECT (SELECT count(*)::int FROM known_enterprise WHERE credit_code = ANY($1::char(18)[])) AS enterprises,
                  (SELECT count(*)::int FROM known_division WHERE code = ANY($2::char(12)[])) AS divisions`,
          [sellers.map((s) => s.creditCode), codes],
        );
        return rows[0].enterprises === sellers.length && rows[0].divisions === codes.length;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
  } finally {
    await db.end();
  }
}
