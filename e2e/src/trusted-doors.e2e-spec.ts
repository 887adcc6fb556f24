import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TOPICS,
  carrierDoorTopic,
  creditCodeCheckCharacter,
  deadLetterTopicOf,
} from '@ecomlog/contracts';
import { KafkaGateway } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { ServiceProcess, adminToken, stack, uniqueSuffix, waitFor } from '@ecomlog/testing';

/**
 * The Kafka door tried as foreign clients would, with the settings apps/parcels/README.md gives
 * couriers and subscribers: Kafka's own console producer and consumer signing in with OAUTHBEARER
 * client credentials against the registry's token endpoint, and Debian's kcat for the anonymous
 * probes. The broker validates the tokens with the keys this registry writes to the stack's JWKS
 * file, and authorises with the ACLs the registry grants and revokes through the admin API.
 */
const CLI = join(process.cwd(), 'tools', 'stack', 'kafka-cli.sh');
const BROKER = stack.kafkaBrokers[0];

interface CommandResult {
  code: number;
  output: string;
}

function run(
  command: string,
  args: string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

describe('trusted doors: every Kafka client signs in with its registry identity and is authorised per topic', () => {
  const suffix = uniqueSuffix();
  const databases = { registry: `e2e_td_registry_${suffix}`, parcels: `e2e_td_parcels_${suffix}` };
  const configDir = mkdtempSync(join(tmpdir(), 'ecomlog-trusted-doors-'));
  const admin = new KafkaGateway(
    stack.kafkaBrokers,
    `e2e-trusted-doors-${suffix}`,
    createLogger('e2e', 'fatal'),
    stack.kafkaAdmin,
  );
  let registry: ServiceProcess;
  let parcels: ServiceProcess;
  let officialToken: string;
  const clients: Record<'zto' | 'subscriber', { clientId: string; clientSecret: string }> = {
    zto: { clientId: '', clientSecret: '' },
    subscriber: { clientId: '', clientSecret: '' },
  };

  async function call(
    service: ServiceProcess,
    method: string,
    path: string,
    body?: unknown,
    token = officialToken,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }

  /** The client properties a courier or subscriber writes, exactly as apps/parcels/README.md shows. */
  function clientConfig(name: string, client: { clientId: string; clientSecret: string }): string {
    const file = join(configDir, `${name}.properties`);
    writeFileSync(
      file,
      [
        'security.protocol=SASL_PLAINTEXT',
        'sasl.mechanism=OAUTHBEARER',
        'sasl.login.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler',
        `sasl.oauthbearer.token.endpoint.url=${registry.baseUrl}/v1/oauth/token`,
        `sasl.oauthbearer.client.credentials.client.id=${client.clientId}`,
        `sasl.oauthbearer.client.credentials.client.secret=${client.clientSecret}`,
        'sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;',
        // Fail within seconds instead of retrying for a minute.
        'max.block.ms=15000',
        'delivery.timeout.ms=20000',
        'request.timeout.ms=10000',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return file;
  }

  /** Kafka 4 clients fetch tokens only from URLs they are told to trust. */
  function cliEnv(): Record<string, string> {
    return {
      KAFKA_CLI_OPTS: `-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${registry.baseUrl}/v1/oauth/token`,
    };
  }

  function produce(config: string, topic: string, lines: string[]): Promise<CommandResult> {
    return run(
      CLI,
      [
        'console-producer',
        '--bootstrap-server',
        BROKER,
        '--topic',
        topic,
        '--producer.config',
        config,
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=|',
      ],
      { input: `${lines.join('\n')}\n`, env: cliEnv() },
    );
  }

  /** Without `group`, the console consumer picks a `console-consumer-<n>` group of its own. */
  function consume(config: string, topic: string, group?: string): Promise<CommandResult> {
    return run(
      CLI,
      [
        'console-consumer',
        '--bootstrap-server',
        BROKER,
        '--topic',
        topic,
        ...(group ? ['--group', group] : []),
        '--from-beginning',
        '--max-messages',
        '1',
        '--timeout-ms',
        '15000',
        '--consumer.config',
        config,
      ],
      { env: cliEnv() },
    );
  }

  function scan(waybillNo: string, carrier: string, extra: Record<string, unknown> = {}): string {
    return `${waybillNo}|${JSON.stringify({
      scanId: `${carrier}-${waybillNo}-1`,
      carrier,
      waybillNo,
      status: 'picked_up',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      divisionCode: '640521000000',
      ...extra,
    })}`;
  }

  const authorisationRefused = /not authorized|AuthorizationException|authorization failed/i;

  beforeAll(async () => {
    for (const database of Object.values(databases)) {
      await ensureDatabaseExists({ ...stack.postgres, database });
    }
    registry = await ServiceProcess.create('registry', databases.registry, {
      KAFKA_JWKS_FILE: stack.kafkaJwksFile,
      KAFKA_ACCESS_SYNC_MS: '5000',
      CONSUMER_GROUP_PREFIX: `e2e-td-${suffix}.`,
    });
    await registry.start();
    parcels = await ServiceProcess.create('parcels', databases.parcels, {
      AUTH_JWKS_URL: registry.jwksUrl,
      CONSUMER_GROUP_PREFIX: `e2e-td-${suffix}.`,
    });
    await parcels.start();
    officialToken = await adminToken(registry);

    const enterprise = async (carrier: string, index: number): Promise<string> => {
      const first17 = `91640521MA${suffix
        .slice(-5)
        .toUpperCase()
        .replace(/[IOZSV]/g, '1')}${index}0`;
      const created = await call(registry, 'POST', '/v1/enterprises', {
        creditCode: `${first17}${creditCodeCheckCharacter(first17)}`,
        name: `${carrier}快递中宁分公司${suffix}`,
        kinds: ['courier'],
        carrierCode: carrier,
        registeredDivisionCode: '640521000000',
        registeredOn: '2020-01-01',
        taxRegisteredLocally: true,
        independentLegalEntity: true,
      });
      if (created.status !== 201) throw new Error(JSON.stringify(created.json));
      return created.json.id as string;
    };
    const imported = await call(registry, 'POST', '/v1/divisions/imports', { prefix: '640521' });
    expect(imported.status).toBeLessThan(300);
    const zto = await call(registry, 'POST', '/v1/clients', {
      name: '中通快递中宁分拨系统',
      kind: 'courier',
      enterpriseId: await enterprise('ZTO', 1),
      carrierCode: 'ZTO',
    });
    expect(zto.status).toBe(201);
    expect(zto.json.kafkaAccess).toContain(
      `User:${String(zto.json.clientId)} Write topic:${carrierDoorTopic('ZTO')}`,
    );
    clients.zto = zto.json as unknown as typeof clients.zto;
    const subscriber = await call(registry, 'POST', '/v1/clients', {
      name: '省大数据中心',
      kind: 'subscriber',
    });
    expect(subscriber.status).toBe(201);
    clients.subscriber = subscriber.json as unknown as typeof clients.subscriber;
    // The broker knows the registry's key and the clients' ACLs once the registry has synced.
    await waitFor(
      "the registry's grants of both clients",
      async () => {
        const acls = await admin.listAcls();
        return [clients.zto.clientId, clients.subscriber.clientId].every((id) =>
          acls.some((grant) => grant.principal === `User:${id}`),
        );
      },
      { timeoutMs: 30_000 },
    );
  }, 180_000);

  afterAll(async () => {
    await parcels?.stop();
    await registry?.stop();
    await admin.disconnect();
    for (const database of Object.values(databases)) {
      await dropDatabaseIfExists({ ...stack.postgres, database });
    }
    rmSync(configDir, { recursive: true, force: true });
  });

  it('refuses anonymous clients: kcat -L and an anonymous produce', async () => {
    const metadata = await run('kcat', ['-L', '-b', BROKER, '-m', '5'], { timeoutMs: 30_000 });
    expect(metadata.code).not.toBe(0);
    expect(metadata.output).not.toContain(carrierDoorTopic('ZTO'));

    const anonymous = await run(
      'kcat',
      ['-P', '-b', BROKER, '-t', carrierDoorTopic('ZTO'), '-K|', '-X', 'message.timeout.ms=5000'],
      { input: `${scan(`ANON${suffix}`, 'ZTO')}\n`, timeoutMs: 30_000 },
    );
    expect(anonymous.code).not.toBe(0);
  }, 60_000);

  it("ZTO's credentials write ZTO's door, and parcels stores the scan", async () => {
    const waybill = `7310${suffix}01`;
    const sent = await produce(clientConfig('zto', clients.zto), carrierDoorTopic('ZTO'), [
      scan(waybill, 'ZTO'),
    ]);
    expect(sent.output).not.toMatch(authorisationRefused);
    expect(sent.code).toBe(0);
    await waitFor(
      'parcels to track the ZTO scan',
      async () => {
        const tracked = await call(parcels, 'GET', `/v1/parcels/ZTO/${waybill}`);
        return tracked.status === 200;
      },
      { timeoutMs: 60_000 },
    );
  }, 120_000);

  it("ZTO's credentials are refused on YTO's door and on every service topic", async () => {
    const config = clientConfig('zto', clients.zto);
    for (const topic of [
      carrierDoorTopic('YTO'),
      TOPICS.parcelScans.name,
      TOPICS.parcelLifecycle.name,
      TOPICS.analyticsIndicators.name,
      TOPICS.registryEnterprises.name,
    ]) {
      const sent = await produce(config, topic, [scan(`7311${suffix}`, 'ZTO')]);
      expect({ topic, refused: authorisationRefused.test(sent.output) }).toEqual({
        topic,
        refused: true,
      });
    }
  }, 180_000);

  it('a scan of another carrier, or with a field the contract does not know, is dead-lettered with the reason', async () => {
    const forged = `7312${suffix}01`;
    const extra = `7312${suffix}02`;
    const from = await admin.withAdmin((kafkaAdmin) =>
      kafkaAdmin.fetchTopicOffsets(deadLetterTopicOf(carrierDoorTopic('ZTO'))),
    );
    const sent = await produce(clientConfig('zto', clients.zto), carrierDoorTopic('ZTO'), [
      scan(forged, 'EMS'),
      scan(extra, 'ZTO', { courierNote: 'not in the contract' }),
    ]);
    expect(sent.code).toBe(0);
    const reasons = new Map<string, string>();
    const consumer = await admin.runConsumer({
      groupId: `e2e-td-dlq-${suffix}`,
      topics: [deadLetterTopicOf(carrierDoorTopic('ZTO'))],
      partitionsConsumedConcurrently: 1,
      startOffsets: async (assigned) =>
        assigned.map(({ topic, partition }) => ({
          topic,
          partition,
          offset: from.find((p) => p.partition === partition)?.offset ?? '0',
        })),
      onBatch: async (batch) => {
        for (const record of batch.records) {
          reasons.set(record.key?.toString() ?? '', record.headers.dlq_reason ?? '');
        }
      },
    });
    try {
      await waitFor(
        'both dead-lettered scans',
        async () => reasons.has(forged) && reasons.has(extra),
        { timeoutMs: 60_000 },
      );
    } finally {
      await consumer.stop();
    }
    expect(reasons.get(forged)).toMatch(/^other-carrier: .*claims carrier EMS.*ZTO's door/);
    expect(reasons.get(extra)).toContain('property courierNote should not exist');
    expect((await call(parcels, 'GET', `/v1/parcels/EMS/${forged}`)).status).toBe(404);
  }, 120_000);

  it('a subscriber reads analytics.indicators.v1 and is refused on any other topic', async () => {
    const config = clientConfig('subscriber', clients.subscriber);
    const group = `${clients.subscriber.clientId}.e2e`;
    const indicators = await consume(config, TOPICS.analyticsIndicators.name, group);
    expect(indicators.output).not.toMatch(authorisationRefused);
    expect(indicators.output).toMatch(/Processed a total of \d+ messages/);
    const groupless = await consume(config, TOPICS.analyticsIndicators.name);
    expect(groupless.output).not.toMatch(authorisationRefused);
    expect(groupless.output).toMatch(/Processed a total of \d+ messages/);

    const lifecycle = await consume(config, TOPICS.parcelLifecycle.name, group);
    expect(lifecycle.output).toMatch(authorisationRefused);
    const written = await produce(config, TOPICS.analyticsIndicators.name, ['k|{}']);
    expect(written.output).toMatch(authorisationRefused);
  }, 120_000);

  it('a client disabled in the registry is refused on both doors within 60 s', async () => {
    const config = clientConfig('zto', clients.zto);
    const token = await fetch(`${registry.baseUrl}/v1/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clients.zto.clientId}:${clients.zto.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: courierToken } = (await token.json()) as { access_token: string };
    const disabled = await call(registry, 'POST', `/v1/clients/${clients.zto.clientId}/disable`);
    expect(disabled.status).toBe(200);
    const started = Date.now();
    await waitFor(
      'the Kafka door to refuse the disabled client',
      async () => {
        const sent = await produce(config, carrierDoorTopic('ZTO'), [scan(`7313${suffix}`, 'ZTO')]);
        return sent.code !== 0;
      },
      { timeoutMs: 60_000 },
    );
    await waitFor(
      "the HTTP door to refuse the disabled client's token",
      async () => {
        const posted = await call(
          parcels,
          'POST',
          '/v1/scans',
          { scans: [JSON.parse(scan(`7314${suffix}`, 'ZTO').split('|')[1]) as unknown] },
          courierToken,
        );
        return posted.status === 401 || posted.status === 403;
      },
      { timeoutMs: 60_000 },
    );
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 180_000);
});
