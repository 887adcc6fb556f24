import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS, carrierDoorTopic, creditCodeCheckCharacter } from '@ecomlog/contracts';
import { stackKafka, uniqueSuffix, waitFor } from '@ecomlog/testing';
import { KafkaAccessService } from '../src/identity/kafka-access.service';
import { ApiClient, OfficialUser } from '../src/identity/identity.entities';
import { IdentityService } from '../src/identity/identity.service';
import { hashSecret } from '../src/identity/secret-hash.util';
import { startRegistryTestApp, type RegistryTestApp } from './support/registry-test-app';

/** Older scrypt parameters than the registry's, and the form of a hash with its current ones. */
const WEAKER_SCRYPT = { N: 16384, r: 8, p: 1 };
const CURRENT_SCRYPT = /^scrypt\$131072\$8\$1\$/;

/** Tokens, JWKS, roles, client scopes, region scopes and the audit log on the real registry app. */
describe('registry identity and access', () => {
  const jwksFile = join(mkdtempSync(join(tmpdir(), 'registry-jwks-')), 'jwks.json');
  const kafka = stackKafka(`it-registry-acls-${uniqueSuffix()}`);
  let registry: RegistryTestApp;
  let admin: string;
  let courierEnterpriseId: string;

  const http = (token?: string) => registry.http(token);
  const claimsOf = (token: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;

  /** A ZTO courier client of the test's courier enterprise, as the registry answers its creation. */
  const createCourierClient = () =>
    http(admin)
      .post('/v1/clients')
      .send({
        name: '中通快递',
        kind: 'courier',
        enterpriseId: courierEnterpriseId,
        carrierCode: 'ZTO',
      })
      .expect(201);
  /** A token request of a client, its credentials sent as HTTP Basic. */
  const tokenRequest = (
    clientId: string,
    secret: string,
    form: Record<string, string> = { grant_type: 'client_credentials' },
  ) => http().post('/v1/oauth/token').auth(clientId, secret).type('form').send(form);

  beforeAll(async () => {
    registry = await startRegistryTestApp({
      listen: true,
      env: { KAFKA_JWKS_FILE: jwksFile, KAFKA_ACCESS_SYNC_MS: '600000' },
    });
    admin = await registry.tokenFor({ roles: ['admin'], regionPrefix: '' });
    for (const [code, name] of [
      ['640000000000', '宁夏回族自治区'],
      ['640500000000', '中卫市'],
      ['640521000000', '中宁县'],
    ]) {
      await http(admin).put(`/v1/divisions/${code}`).send({ name }).expect(201);
    }
    const first17 = `91640521MA${uniqueSuffix()
      .slice(-7)
      .toUpperCase()
      .replace(/[IOZSV]/g, '1')}`;
    const courier = await http(admin)
      .post('/v1/enterprises')
      .send({
        creditCode: `${first17}${creditCodeCheckCharacter(first17)}`,
        name: '中宁县中通快递有限公司',
        kinds: ['courier'],
        carrierCode: 'ZTO',
        registeredDivisionCode: '640521000000',
        registeredOn: '2018-03-01',
        taxRegisteredLocally: true,
        independentLegalEntity: true,
      })
      .expect(201);
    courierEnterpriseId = (courier.body as { id: string }).id;
  });

  afterAll(async () => {
    await registry?.close();
    await kafka.disconnect();
  });

  it('refuses calls without a valid token, with problem+json and WWW-Authenticate', async () => {
    const none = await http().get('/v1/clients').expect(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/authentication-required',
    });
    const forged = await http().get('/v1/clients').set('authorization', 'Bearer a.b.c').expect(401);
    expect(forged.body).toMatchObject({ type: 'https://ecomlog.cn/problems/invalid-token' });
    await http().get('/health').expect(200);
  });

  it('publishes only public keys', async () => {
    const jwks = await http().get('/.well-known/jwks.json').expect(200);
    const keys = (jwks.body as { keys: Record<string, unknown>[] }).keys;
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('issues client-credentials tokens bound to the carrier, and rotates secrets', async () => {
    const created = await createCourierClient();
    const { clientId, clientSecret } = created.body as { clientId: string; clientSecret: string };

    const viaBasic = await tokenRequest(clientId, clientSecret).expect(200);
    const token = (viaBasic.body as { access_token: string }).access_token;
    expect(viaBasic.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'scans:write carrier:ZTO',
    });
    expect(claimsOf(token)).toMatchObject({
      sub: clientId,
      kind: 'courier',
      carrier: 'ZTO',
      iss: 'ecomlog-registry',
      // One identity on both doors: the services' audience and the Kafka broker's.
      aud: ['ecomlog', 'kafka'],
    });

    await http()
      .post('/v1/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret })
      .expect(200);
    const wrong = await tokenRequest(clientId, 'nope').expect(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    const grant = await tokenRequest(clientId, clientSecret, { grant_type: 'password' }).expect(
      400,
    );
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });

    // A courier token is not an official's: admin routes refuse it.
    const refused = await http(token).get('/v1/clients').expect(403);
    expect(refused.body).toMatchObject({ type: 'https://ecomlog.cn/problems/client-not-allowed' });

    const rotated = await http(admin).post(`/v1/clients/${clientId}/rotate-secret`).expect(200);
    const newSecret = (rotated.body as { clientSecret: string }).clientSecret;
    await tokenRequest(clientId, clientSecret).expect(401);
    await tokenRequest(clientId, newSecret).expect(200);

    const clients = await http(admin).get('/v1/clients').expect(200);
    expect(JSON.stringify(clients.body)).not.toContain('secretHash');
    // One page shape for every list: items and, before the last page, nextCursor.
    const listed = clients.body as { items: { clientId: string }[]; nextCursor?: string };
    expect(listed.items.map((c) => c.clientId)).toContain(clientId);
    const first = (await http(admin).get('/v1/clients?limit=1').expect(200)).body as typeof listed;
    expect(first.items).toHaveLength(1);
    if (listed.items.length > 1) {
      const second = (
        await http(admin).get(`/v1/clients?limit=1&cursor=${first.nextCursor}`).expect(200)
      ).body as typeof listed;
      expect(second.items[0].clientId > first.items[0].clientId).toBe(true);
    }
    const officials = (await http(admin).get('/v1/officials').expect(200)).body as {
      items: { username: string }[];
    };
    expect(Array.isArray(officials.items)).toBe(true);
    expect(JSON.stringify(officials)).not.toContain('passwordHash');
  });

  it("grants a courier its carrier's scan door and a subscriber the indicator topic on the broker, revokes them when disabled, and keeps the broker's JWKS file", async () => {
    const courier = await createCourierClient();
    const courierId = (courier.body as { clientId: string }).clientId;
    expect(courier.body).toMatchObject({
      kafkaAccessApplied: true,
      kafkaAccess: [
        `User:${courierId} Write topic:${carrierDoorTopic('ZTO')}`,
        `User:${courierId} Describe topic:${carrierDoorTopic('ZTO')}`,
      ],
    });
    const subscriber = await http(admin)
      .post('/v1/clients')
      .send({ name: '宁夏大数据中心', kind: 'subscriber' })
      .expect(201);
    const subscriberId = (subscriber.body as { clientId: string }).clientId;
    const subscriberSecret = (subscriber.body as { clientSecret: string }).clientSecret;
    const token = await tokenRequest(subscriberId, subscriberSecret, {
      grant_type: 'client_credentials',
      scope: 'kafka',
    }).expect(200);
    expect(token.body).toMatchObject({ scope: 'indicators:read' });
    expect(claimsOf((token.body as { access_token: string }).access_token)).toMatchObject({
      sub: subscriberId,
      kind: 'subscriber',
      aud: ['ecomlog', 'kafka'],
    });

    const access = registry.app.get(KafkaAccessService);
    const grantsOf = async (clientId: string): Promise<string[]> =>
      (await kafka.listAcls())
        .filter((grant) => grant.principal === `User:${clientId}`)
        .map((g) => `${g.operations.join()} ${g.resourceType}:${g.resourceName}:${g.patternType}`)
        .sort();
    await access.syncNow();
    expect(await grantsOf(courierId)).toEqual([
      `Describe topic:${carrierDoorTopic('ZTO')}:literal`,
      `Write topic:${carrierDoorTopic('ZTO')}:literal`,
    ]);
    expect(await grantsOf(subscriberId)).toEqual([
      'Describe group:console-consumer-:prefixed',
      `Describe group:${subscriberId}:prefixed`,
      `Describe topic:${TOPICS.analyticsIndicators.name}:literal`,
      'Read group:console-consumer-:prefixed',
      `Read group:${subscriberId}:prefixed`,
      `Read topic:${TOPICS.analyticsIndicators.name}:literal`,
    ]);

    // Applied before the answer: refused (or allowed again) from the next request on.
    await http(admin).post(`/v1/clients/${courierId}/disable`).expect(200);
    expect(await grantsOf(courierId)).toEqual([]);
    await http(admin).post(`/v1/clients/${courierId}/enable`).expect(200);
    expect(await grantsOf(courierId)).toHaveLength(2);
    // A revoked grant that went missing behind the registry's back is restored by the next sync.
    await kafka.deleteAcls([
      {
        principal: `User:${subscriberId}`,
        resourceType: 'topic',
        resourceName: TOPICS.analyticsIndicators.name,
        patternType: 'literal',
        operations: ['Read'],
      },
    ]);
    expect((await access.syncNow()).granted).toEqual([
      `User:${subscriberId} Read topic:${TOPICS.analyticsIndicators.name}`,
    ]);

    const published = (await http().get('/.well-known/jwks.json').expect(200)).body as {
      keys: { kid: string }[];
    };
    const file = JSON.parse(readFileSync(jwksFile, 'utf8')) as {
      keys: { kid: string; d?: string }[];
    };
    expect(file.keys.map((k) => k.kid)).toEqual(published.keys.map((k) => k.kid));
    expect(file.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('binds a client only to a registered active enterprise of its kind and carrier', async () => {
    const unknown = await http(admin)
      .post('/v1/clients')
      .send({
        name: 'x',
        kind: 'courier',
        enterpriseId: '5f0e4b7a-8a4e-4f53-9d53-2b6f1c1d0a11',
        carrierCode: 'ZTO',
      })
      .expect(422);
    expect(unknown.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/enterprise-not-found',
    });
    const otherCarrier = await http(admin)
      .post('/v1/clients')
      .send({ name: 'x', kind: 'courier', enterpriseId: courierEnterpriseId, carrierCode: 'YTO' })
      .expect(422);
    expect(otherCarrier.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/carrier-code-mismatch',
    });
    const asPlatform = await http(admin)
      .post('/v1/clients')
      .send({
        name: 'x',
        kind: 'platform',
        enterpriseId: courierEnterpriseId,
        platformCode: 'taobao',
      })
      .expect(422);
    expect(asPlatform.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/enterprise-kind-mismatch',
    });
  });

  it('enforces roles and region scopes for officials', async () => {
    const viewer = await registry.tokenFor({ roles: ['viewer'], regionPrefix: '640521' });
    const denied = await http(viewer).get('/v1/clients').expect(403);
    expect(denied.body).toMatchObject({ type: 'https://ecomlog.cn/problems/role-required' });

    const countyAdmin = await registry.tokenFor({ roles: ['admin'], regionPrefix: '640521' });
    const outside = await http(countyAdmin)
      .post('/v1/officials')
      .send({
        username: `x${uniqueSuffix()}`,
        displayName: 'x',
        roles: ['viewer'],
        regionPrefix: '3709',
      })
      .expect(403);
    expect(outside.body).toMatchObject({ type: 'https://ecomlog.cn/problems/outside-region' });
    await http(countyAdmin)
      .post('/v1/officials')
      .send({
        username: `y${uniqueSuffix()}`,
        displayName: 'y',
        roles: ['commerce'],
        regionPrefix: '640521100',
      })
      .expect(201);
  });

  it('limits login attempts per user', async () => {
    const username = `locked${uniqueSuffix()}`;
    await registry.app.get(IdentityService).createOfficial(null, {
      username,
      displayName: username,
      roles: ['viewer'],
      regionPrefix: '',
    });
    for (let i = 0; i < 10; i++) {
      await http().post('/v1/auth/login').send({ username, password: 'wrong' }).expect(401);
    }
    const limited = await http()
      .post('/v1/auth/login')
      .send({ username, password: 'wrong' })
      .expect(429);
    expect(limited.body).toMatchObject({
      type: 'https://ecomlog.cn/problems/too-many-login-attempts',
    });
  });

  it('re-hashes an older, weaker password or client secret hash on its next successful use', async () => {
    const username = `rehash${uniqueSuffix()}`;
    const { official, initialPassword } = await registry.app
      .get(IdentityService)
      .createOfficial(null, {
        username,
        displayName: username,
        roles: ['viewer'],
        regionPrefix: '',
      });
    const weak = await hashSecret(initialPassword, WEAKER_SCRYPT);
    await registry.dataSource
      .getRepository(OfficialUser)
      .update(official.id, { passwordHash: weak });
    await http().post('/v1/auth/login').send({ username, password: 'wrong' }).expect(401);
    const unchanged = await registry.dataSource
      .getRepository(OfficialUser)
      .findOneByOrFail({ username });
    expect(unchanged.passwordHash).toBe(weak);
    await http().post('/v1/auth/login').send({ username, password: initialPassword }).expect(200);
    const upgraded = await registry.dataSource
      .getRepository(OfficialUser)
      .findOneByOrFail({ username });
    expect(upgraded.passwordHash).toMatch(CURRENT_SCRYPT);
    await http().post('/v1/auth/login').send({ username, password: initialPassword }).expect(200);

    const created = await createCourierClient();
    const { clientId, clientSecret } = created.body as { clientId: string; clientSecret: string };
    await registry.dataSource
      .getRepository(ApiClient)
      .update({ clientId }, { secretHash: await hashSecret(clientSecret, WEAKER_SCRYPT) });
    await tokenRequest(clientId, clientSecret).expect(200);
    const client = await registry.dataSource.getRepository(ApiClient).findOneByOrFail({ clientId });
    expect(client.secretHash).toMatch(CURRENT_SCRYPT);
  });

  it('keeps tokens signed by a rotated key valid, and signs new ones with the new key', async () => {
    const before = await registry.tokenFor({ roles: ['commerce'], regionPrefix: '' });
    const { kid } = (await http(admin).post('/v1/signing-keys/rotate').expect(200)).body as {
      kid: string;
    };
    const after = await registry.tokenFor({ roles: ['admin'], regionPrefix: '' });
    expect(
      JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()) as { kid: string },
    ).toMatchObject({ kid });
    // Verifiers refresh the JWKS on first sight of the new kid (at most once a second).
    await waitFor(
      'the new key to be accepted',
      async () => {
        const response = await http(after).get('/v1/audit-entries');
        return response.status === 200;
      },
      { timeoutMs: 5000 },
    );
    // The retired key still verifies the tokens it signed (commerce may not list officials: 403, not 401).
    await http(before).get('/v1/officials').expect(403);
    await http(admin).get('/v1/clients').expect(200);
  });

  it('records every change in an append-only audit log, listed by entity and by user', async () => {
    const adminId = claimsOf(admin).sub as string;
    const byUser = await http(admin).get(`/v1/audit-entries?actor=${adminId}`).expect(200);
    const actions = (byUser.body as { items: { action: string }[] }).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['client.created', 'client.secret-rotated']));
    const enterprise = await http(admin)
      .get(`/v1/audit-entries?entityType=enterprise&entityId=${courierEnterpriseId}`)
      .expect(200);
    expect(enterprise.body).toMatchObject({
      items: [
        {
          action: 'enterprise.created',
          actorSubject: adminId,
          before: null,
          after: { id: courierEnterpriseId, carrierCode: 'ZTO' },
        },
      ],
    });
    const division = await http(admin)
      .get('/v1/audit-entries?entityType=division&entityId=640521000000')
      .expect(200);
    expect(division.body).toMatchObject({
      items: [{ action: 'division.created', actorSubject: adminId, after: { name: '中宁县' } }],
    });
    const byEntity = await http(admin)
      .get('/v1/audit-entries?entityType=api_client&limit=1')
      .expect(200);
    expect(byEntity.body).toMatchObject({
      items: [{ entityType: 'api_client' }],
      nextCursor: expect.any(String),
    });
    await expect(
      registry.dataSource.query('UPDATE audit_entry SET action = $1', ['tampered']),
    ).rejects.toThrow(/append-only/);
    await expect(registry.dataSource.query('DELETE FROM audit_entry')).rejects.toThrow(
      /append-only/,
    );
  });
});
