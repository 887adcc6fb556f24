import { ServiceProcess, adminToken, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { RunDatabases } from './support/run-databases';

/**
 * A state change in registry travels through its outbox and the real broker into sites' read
 * model, while the sites process is SIGKILLed twice mid-stream: nothing is lost, nothing is
 * applied twice (events_seen counts every applied event, so a redelivered chunk would show).
 */
describe('walking skeleton: registry outbox → Kafka → sites read model', () => {
  const suffix = uniqueSuffix();
  const databases = new RunDatabases(['registry', 'sites'], suffix);
  // A county prefix of its own (province 9x, city 50–99: no real division and no other test's),
  // so events of earlier runs on the shared topic cannot interfere.
  const random2 = (from: number): string =>
    String(from + Math.floor(Math.random() * (100 - from))).padStart(2, '0');
  const county = `9${Math.floor(Math.random() * 10)}${random2(50)}${random2(1)}`;
  const province = `${county.slice(0, 2)}0000000000`;
  const city = `${county.slice(0, 4)}00000000`;
  const countyCode = `${county}000000`;
  const towns = Array.from(
    { length: 4 },
    (_, t) => `${county}${String(101 + t).padStart(3, '0')}000`,
  );
  const villages = towns.flatMap((town) =>
    Array.from({ length: 50 }, (_, v) => `${town.slice(0, 9)}${String(200 + v)}`),
  );
  const renamesPerVillage = 2;
  /** The query parameters of this county's towns and villages: code prefix and the two levels. */
  const townsAndVillages = [`${county}%`, 'town', 'village'];

  let registry: ServiceProcess;
  let sites: ServiceProcess;
  let token: string;

  beforeAll(async () => {
    await databases.create();
    registry = await ServiceProcess.create('registry', databases.names.registry);
    sites = await ServiceProcess.create('sites', databases.names.sites, {
      AUTH_JWKS_URL: registry.jwksUrl,
      CONSUMER_GROUP_PREFIX: `e2e-${suffix}.`,
      // The SIGKILLed member must leave the group before its partitions move on: keep that short.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    await Promise.all([registry.start(), sites.start()]);
    token = await adminToken(registry);
    await databases.connect();
  });

  afterAll(async () => {
    await Promise.all([registry?.stop(), sites?.stop()]);
    await databases.drop();
  });

  async function put(code: string, name: string, correlationId?: string): Promise<void> {
    const response = await fetch(`${registry.baseUrl}/v1/divisions/${code}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
      },
      body: JSON.stringify({ name }),
    });
    if (response.status >= 300)
      throw new Error(`PUT ${code} answered ${response.status}: ${await response.text()}`);
  }

  async function knownInSites(): Promise<number> {
    return databases.count(
      'sites',
      'SELECT count(*)::int AS n FROM known_division WHERE code LIKE $1',
      [`${county}%`],
    );
  }

  it('delivers every change exactly once across two SIGKILLs of the consumer', async () => {
    const correlationId = `e2e-${suffix}`;
    await put(province, '测试省', correlationId);
    await put(city, '测试市');
    await put(countyCode, '测试县');
    for (const town of towns) await put(town, `镇${town.slice(6, 9)}`);

    // Writers stream creates and renames while the test crashes the consumer twice.
    const writes = villages
      .flatMap((code) =>
        Array.from({ length: renamesPerVillage + 1 }, (_, round) => ({
          code,
          name: `村${code.slice(9)}-${round}`,
          round,
        })),
      )
      .sort((a, b) => a.round - b.round);
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < writes.length) {
        const write = writes[next++];
        await put(write.code, write.name);
      }
    };
    const writing = Promise.all(Array.from({ length: 6 }, writer));

    for (const threshold of [40, 120]) {
      await waitFor(
        `sites to have applied ${threshold} divisions`,
        async () => (await knownInSites()) >= threshold,
        { timeoutMs: 60000, intervalMs: 20 },
      );
      await sites.kill();
      await sites.start();
    }
    await writing;

    const expected = await databases.rows<{ code: string; name: string; version: number }>(
      'registry',
      'SELECT code, name, version FROM division WHERE code LIKE $1 AND level IN ($2, $3) ORDER BY code',
      townsAndVillages,
    );
    expect(expected).toHaveLength(towns.length + villages.length);
    expect(expected.filter((row) => row.version === renamesPerVillage + 1)).toHaveLength(
      villages.length,
    );

    await waitFor(
      'sites to catch up with every division version',
      async () => {
        const appliedOnce = await databases.count(
          'sites',
          'SELECT count(*)::int AS n FROM known_division WHERE code LIKE $1 AND level IN ($2, $3) AND version = events_seen',
          townsAndVillages,
        );
        const caughtUp = await databases.count(
          'sites',
          `SELECT count(*)::int AS n FROM known_division k WHERE k.code = ANY($1::char(12)[]) AND k.version = ANY($2::int[])`,
          [expected.map((r) => r.code), [renamesPerVillage + 1, 1]],
        );
        return appliedOnce === expected.length && caughtUp === expected.length;
      },
      { timeoutMs: 90000, intervalMs: 500 },
    );

    const actual = await databases.rows<{
      code: string;
      name: string;
      version: number;
      events_seen: number;
    }>(
      'sites',
      'SELECT code, name, version, events_seen FROM known_division WHERE code LIKE $1 AND level IN ($2, $3) ORDER BY code',
      townsAndVillages,
    );
    // Nothing lost (every code, latest name and version) and nothing applied twice (events_seen).
    expect(actual.map(({ code, name, version }) => ({ code, name, version }))).toEqual(expected);
    expect(actual.every((row) => row.events_seen === row.version)).toBe(true);

    // The HTTP correlation id travelled into the event's CloudEvents headers.
    const traced = await databases.rows<{ headers: Record<string, string> }>(
      'registry',
      "SELECT headers FROM outbox_event WHERE headers->>'ce_correlationid' = $1",
      [correlationId],
    );
    expect(traced).toHaveLength(1);
    expect(traced[0].headers).toMatchObject({
      ce_type: 'cn.ecomlog.registry.division-changed.v1',
      ce_source: 'registry',
      ce_specversion: '1.0',
      ce_subject: `divisions/${province}`,
    });
  });
});
