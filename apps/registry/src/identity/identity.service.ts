import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource, Like, MoreThan, type EntityManager } from 'typeorm';
import { signToken, type Principal, type TokenClaims } from '@ecomlog/auth';
import { ProblemException, decodeCursor, toPage, type Page, type PageQuery } from '@ecomlog/http';
import { OutboxWriter } from '@ecomlog/messaging';
import { AuditTrail, REDIS } from '@ecomlog/platform';
import { RegistryEnv } from '../config';
import { Enterprise } from '../enterprises/enterprise.entity';
import { ApiClient, OfficialUser } from './identity.entities';
import type { CreateClientDto, CreateOfficialDto } from './dto/identity.dto';
import { generateSecret, hashSecret, verifySecretAndUpgrade } from './secret-hash.util';
import { KafkaAccessService, kafkaGrantsOf } from './kafka-access.service';
import { ClientChanged, describeGrant, type ClientChangedV1 } from '@ecomlog/contracts';
import { SigningKeysService } from './signing-keys.service';

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

const LOGIN_ATTEMPTS_PER_WINDOW = 10;
const LOGIN_WINDOW_SECONDS = 300;

/** OAuth2-style errors that also read as problem documents (error + error_description). */
function oauthError(status: number, error: string, description: string): ProblemException {
  return new ProblemException(
    status,
    `oauth-${error.replace(/_/g, '-')}`,
    'Token request refused',
    description,
    {
      error,
      error_description: description,
    },
  );
}

@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: SigningKeysService,
    private readonly kafkaAccess: KafkaAccessService,
    private readonly audit: AuditTrail,
    private readonly outbox: OutboxWriter,
    private readonly env: RegistryEnv,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async issueClientToken(
    clientId: string | undefined,
    secret: string | undefined,
  ): Promise<IssuedToken> {
    if (!clientId || !secret) {
      throw oauthError(
        401,
        'invalid_client',
        'Authenticate the client with HTTP Basic or client_id and client_secret.',
      );
    }
    const client = await this.dataSource.getRepository(ApiClient).findOneBy({ clientId });
    // Same answer for an unknown client and a wrong secret: ids cannot be probed.
    const checked = client && (await verifySecretAndUpgrade(secret, client.secretHash));
    if (!client || !checked || !checked.valid) {
      throw oauthError(401, 'invalid_client', 'Unknown client or wrong secret.');
    }
    if (!client.active)
      throw oauthError(
        401,
        'invalid_client',
        `Client ${clientId} is disabled; ask an administrator.`,
      );
    // Re-hashed at today's cost; only if the secret was not rotated meanwhile.
    if (checked.upgradedHash) {
      await this.dataSource
        .getRepository(ApiClient)
        .update({ clientId, secretHash: client.secretHash }, { secretHash: checked.upgradedHash });
    }
    const scope = {
      courier: `scans:write carrier:${client.carrierCode}`,
      platform: `orders:write platform:${client.platformCode}`,
      subscriber: 'indicators:read',
    }[client.kind];
    // One identity on both doors: the platform's services and the Kafka broker (whose principal
    // is the token's `sub`, the client id, and whose ACLs the registry keeps; kafka-access.ts).
    return this.sign(
      {
        sub: client.clientId,
        kind: client.kind,
        scope,
        enterprise: client.enterpriseId ?? undefined,
        carrier: client.carrierCode ?? undefined,
        platform: client.platformCode ?? undefined,
      },
      this.env.CLIENT_TOKEN_TTL_SECONDS,
      [this.env.AUTH_AUDIENCE, this.env.KAFKA_TOKEN_AUDIENCE],
    );
  }

  async login(username: string, password: string): Promise<IssuedToken> {
    const attemptsKey = `registry:login-attempts:${username}`;
    const attempts = await this.redis.incr(attemptsKey);
    if (attempts === 1) await this.redis.expire(attemptsKey, LOGIN_WINDOW_SECONDS);
    if (attempts > LOGIN_ATTEMPTS_PER_WINDOW) {
      throw new ProblemException(
        429,
        'too-many-login-attempts',
        'Too many login attempts',
        `Too many attempts for ${username}; wait ${LOGIN_WINDOW_SECONDS / 60} minutes.`,
      );
    }
    const user = await this.dataSource.getRepository(OfficialUser).findOneBy({ username });
    const checked = user?.active && (await verifySecretAndUpgrade(password, user.passwordHash));
    if (!user || !checked || !checked.valid) {
      throw new ProblemException(
        401,
        'invalid-credentials',
        'Login failed',
        'Unknown user, wrong password or disabled account.',
      );
    }
    // Re-hashed at today's cost; only if the password was not changed meanwhile.
    if (checked.upgradedHash) {
      await this.dataSource
        .getRepository(OfficialUser)
        .update(
          { id: user.id, passwordHash: user.passwordHash },
          { passwordHash: checked.upgradedHash },
        );
    }
    await this.redis.del(attemptsKey);
    return this.sign(
      {
        sub: user.id,
        kind: 'official',
        scope: user.roles.join(' '),
        roles: user.roles,
        region: user.regionPrefix,
      },
      this.env.OFFICIAL_TOKEN_TTL_SECONDS,
    );
  }

  async createClient(
    actor: Principal,
    dto: CreateClientDto,
  ): Promise<{
    clientId: string;
    clientSecret: string;
    kafkaAccess: string[];
    /** False when the broker did not answer in time: the access follows within a sync period. */
    kafkaAccessApplied: boolean;
  }> {
    await this.requireBindableEnterprise(dto);
    const clientSecret = generateSecret();
    const client: ApiClient = {
      clientId: `${dto.kind}-${randomUUID()}`,
      name: dto.name,
      kind: dto.kind,
      enterpriseId: dto.enterpriseId ?? null,
      carrierCode: dto.kind === 'courier' ? (dto.carrierCode ?? null) : null,
      platformCode: dto.kind === 'platform' ? (dto.platformCode ?? null) : null,
      secretHash: await hashSecret(clientSecret),
      active: true,
      createdAt: new Date(),
      secretRotatedAt: new Date(),
      version: 1,
    };
    await this.dataSource.transaction(async (tx) => {
      await tx.insert(ApiClient, client);
      await this.outbox.append(tx, ClientChanged, [clientChange(client)]);
      await this.audit.record(tx, {
        actor,
        action: 'client.created',
        entityType: 'api_client',
        entityId: client.clientId,
        after: publicClient(client),
      });
    });
    const kafkaAccessApplied = await this.kafkaAccess.applyAfterChange();
    // e.g. `User:courier-… Write topic:parcels.scans.zto.v1`: where the client signs in on Kafka.
    const kafkaAccess = kafkaGrantsOf(client).flatMap((grant) =>
      grant.operations.map((operation) => describeGrant({ ...grant, operations: [operation] })),
    );
    return { clientId: client.clientId, clientSecret, kafkaAccess, kafkaAccessApplied };
  }

  /** The old secret stops working at once; the new one is shown only in this answer. */
  async rotateClientSecret(
    actor: Principal,
    clientId: string,
  ): Promise<{ clientId: string; clientSecret: string }> {
    const clientSecret = generateSecret();
    const secretHash = await hashSecret(clientSecret);
    await this.dataSource.transaction(async (tx) => {
      await lockClient(tx, clientId);
      await tx.update(ApiClient, { clientId }, { secretHash, secretRotatedAt: new Date() });
      await this.audit.record(tx, {
        actor,
        action: 'client.secret-rotated',
        entityType: 'api_client',
        entityId: clientId,
      });
    });
    return { clientId, clientSecret };
  }

  async setClientActive(
    actor: Principal,
    clientId: string,
    active: boolean,
  ): Promise<ReturnType<typeof publicClient>> {
    const changed = await this.dataSource.transaction(async (tx) => {
      const client = await lockClient(tx, clientId);
      const after = { ...client, active, version: client.version + 1 };
      await tx.update(ApiClient, { clientId }, { active, version: after.version });
      await this.outbox.append(tx, ClientChanged, [clientChange(after)]);
      await this.audit.record(tx, {
        actor,
        action: active ? 'client.enabled' : 'client.disabled',
        entityType: 'api_client',
        entityId: clientId,
        before: publicClient(client),
        after: publicClient(after),
      });
      return publicClient(after);
    });
    // Kafka access follows the status (granted or revoked through the broker's admin API).
    await this.kafkaAccess.applyAfterChange();
    return changed;
  }

  /** Registered clients (no secrets), a page at a time in client-id order. */
  async listClients(page: PageQuery): Promise<Page<ReturnType<typeof publicClient>>> {
    const limit = page.limit ?? 50;
    const after = page.cursor
      ? decodeCursor<{ clientId: string }>(page.cursor, ['clientId']).clientId
      : '';
    const clients = await this.dataSource.getRepository(ApiClient).find({
      where: { clientId: MoreThan(after) },
      order: { clientId: 'ASC' },
      take: limit + 1,
    });
    return toPage(clients.map(publicClient), limit, (client) => ({ clientId: client.clientId }));
  }

  /** Creates an official with a generated first password, returned once. */
  async createOfficial(
    actor: Principal | null,
    dto: CreateOfficialDto,
  ): Promise<{ official: ReturnType<typeof publicOfficial>; initialPassword: string }> {
    if (actor && !dto.regionPrefix.startsWith(actor.regionPrefix)) {
      throw new ProblemException(
        403,
        'outside-region',
        'Outside your region',
        `You may only create officials inside your region ${actor.regionPrefix || '(nationwide)'}; ${dto.regionPrefix || 'nationwide'} is wider or elsewhere.`,
      );
    }
    const initialPassword = generateSecret(18);
    const user: OfficialUser = {
      id: randomUUID(),
      username: dto.username,
      displayName: dto.displayName,
      roles: [...dto.roles].sort(),
      regionPrefix: dto.regionPrefix,
      passwordHash: await hashSecret(initialPassword),
      active: true,
      createdAt: new Date(),
    };
    await this.dataSource.transaction(async (tx) => {
      if (await tx.exists(OfficialUser, { where: { username: dto.username } })) {
        throw new ProblemException(
          409,
          'username-taken',
          'Username taken',
          `An official named ${dto.username} already exists.`,
        );
      }
      await tx.insert(OfficialUser, user);
      await this.audit.record(tx, {
        actor: actor ?? { subject: 'cli', kind: 'official' },
        action: 'official.created',
        entityType: 'official_user',
        entityId: user.id,
        after: publicOfficial(user),
      });
    });
    return { official: publicOfficial(user), initialPassword };
  }

  /** Officials inside the caller's region, a page at a time in username order. */
  async listOfficials(
    actor: Principal,
    page: PageQuery,
  ): Promise<Page<ReturnType<typeof publicOfficial>>> {
    const limit = page.limit ?? 50;
    const after = page.cursor
      ? decodeCursor<{ username: string }>(page.cursor, ['username']).username
      : '';
    const users = await this.dataSource.getRepository(OfficialUser).find({
      where: { username: MoreThan(after), regionPrefix: Like(`${actor.regionPrefix}%`) },
      order: { username: 'ASC' },
      take: limit + 1,
    });
    return toPage(users.map(publicOfficial), limit, (user) => ({ username: user.username }));
  }

  /**
   * A courier or platform client acts for a registered, active enterprise of its kind (a courier
   * of its carrier); a subscriber may name an active enterprise it belongs to, of any kind.
   */
  private async requireBindableEnterprise(dto: CreateClientDto): Promise<void> {
    if (dto.enterpriseId === undefined) return; // only a subscriber gets here (see the DTO)
    const enterprise = await this.dataSource
      .getRepository(Enterprise)
      .findOneBy({ id: dto.enterpriseId });
    if (!enterprise) {
      throw new ProblemException(
        422,
        'enterprise-not-found',
        'Enterprise not registered',
        `No enterprise ${dto.enterpriseId}; register it first (POST /v1/enterprises).`,
      );
    }
    if (enterprise.status !== 'active') {
      throw new ProblemException(
        422,
        'enterprise-not-active',
        'Enterprise not active',
        `${enterprise.name} is ${enterprise.status}; only an active enterprise can have clients.`,
      );
    }
    if (dto.kind !== 'subscriber' && !enterprise.kinds.includes(dto.kind)) {
      throw new ProblemException(
        422,
        'enterprise-kind-mismatch',
        'Enterprise of another kind',
        `${enterprise.name} is not registered as a ${dto.kind} (kinds: ${enterprise.kinds.join(', ')}).`,
      );
    }
    if (dto.kind === 'courier' && enterprise.carrierCode !== dto.carrierCode) {
      throw new ProblemException(
        422,
        'carrier-code-mismatch',
        'Carrier code mismatch',
        `${enterprise.name} is registered with carrier code ${enterprise.carrierCode ?? '(none)'}, not ${dto.carrierCode ?? '(none)'}.`,
      );
    }
  }

  private async sign(
    claims: Omit<TokenClaims, 'iss' | 'aud' | 'iat' | 'exp' | 'jti'>,
    ttlSeconds: number,
    audience: string | string[] = this.env.AUTH_AUDIENCE,
  ): Promise<IssuedToken> {
    const { kid, key } = await this.keys.current();
    const { token, expiresIn } = signToken(
      key,
      kid,
      { ...claims, iss: this.env.AUTH_ISSUER, aud: audience },
      ttlSeconds,
    );
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: claims.scope,
    };
  }
}

/** A client's row, locked for the rest of the transaction; 404 when there is none. */
async function lockClient(tx: EntityManager, clientId: string): Promise<ApiClient> {
  const client = await tx.findOne(ApiClient, {
    where: { clientId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!client) {
    throw new ProblemException(
      404,
      'client-not-found',
      'Client not found',
      `No client ${clientId}.`,
    );
  }
  return client;
}

/** What the services a client calls need to know of it (never its secret). */
function clientChange(client: ApiClient): ClientChangedV1 {
  return {
    clientId: client.clientId,
    kind: client.kind,
    active: client.active,
    enterpriseId: client.enterpriseId,
    carrierCode: client.carrierCode,
    platformCode: client.platformCode,
    version: client.version,
    changedAt: new Date().toISOString(),
  };
}

export function publicClient(client: ApiClient) {
  const { secretHash: _secretHash, ...visible } = client;
  return visible;
}

export function publicOfficial(user: OfficialUser) {
  const { passwordHash: _passwordHash, ...visible } = user;
  return visible;
}
