import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { courierAcls, describeGrant, subscriberAcls, type KafkaAclGrant } from '@ecomlog/contracts';
import { KafkaGateway } from '@ecomlog/messaging';
import type { AppLogger } from '@ecomlog/observability';
import { APP_LOGGER } from '@ecomlog/platform';
import { RegistryEnv } from '../config';
import { writeBrokerJwksFile } from './broker-jwks-file';
import { ApiClient } from './identity.entities';
import { SigningKeysService } from './signing-keys.service';

/** What a client may do on Kafka while it is active (nothing once disabled). */
export function kafkaGrantsOf(client: ApiClient): KafkaAclGrant[] {
  if (!client.active) return [];
  if (client.kind === 'courier' && client.carrierCode)
    return courierAcls(client.clientId, client.carrierCode);
  if (client.kind === 'subscriber') return subscriberAcls(client.clientId);
  return []; // platforms post orders over HTTP only
}

export interface KafkaAccessReport {
  granted: string[];
  revoked: string[];
}

/** One ACL binding = one operation on one resource for one principal. */
function bindings(grants: readonly KafkaAclGrant[]): Map<string, KafkaAclGrant> {
  const map = new Map<string, KafkaAclGrant>();
  for (const grant of grants) {
    for (const operation of grant.operations) {
      const single = { ...grant, operations: [operation] };
      map.set(describeGrant(single), single);
    }
  }
  return map;
}

/**
 * Keeps the broker's ACLs of this registry's machine clients equal to what their kind, carrier
 * and status allow, through Kafka's admin API: registering or re-enabling a client grants its
 * access, disabling it revokes it (existing connections are refused from their next request; a
 * token it still holds signs in but may do nothing). Runs right after each change and every
 * KAFKA_ACCESS_SYNC_MS, so a change made while the broker was away is applied when it is back.
 * Only principals of clients in this registry's database are touched. Also refreshes the broker's
 * JWKS file (KAFKA_JWKS_FILE) with the current signing keys.
 */
@Injectable()
export class KafkaAccessService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<KafkaAccessReport>;
  private pending = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    private readonly keys: SigningKeysService,
    private readonly env: RegistryEnv,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.KAFKA_ACCESS_SYNC_MS > 0) this.schedule(0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Applies the clients' access now; a call during a running sync runs once more after it. */
  async syncNow(): Promise<KafkaAccessReport> {
    if (this.inFlight) {
      this.pending = true;
      return this.inFlight;
    }
    this.inFlight = this.sync().finally(() => {
      this.inFlight = undefined;
      if (this.pending && !this.stopped) {
        this.pending = false;
        void this.syncNow().catch(() => undefined);
      }
    });
    return this.inFlight;
  }

  /**
   * After a client change: applied before the answer when the broker answers within `waitMs`
   * (so a courier registered a moment ago can produce at once, and a disabled one is refused at
   * once), else in the background and by the periodic sync. True when applied.
   */
  async applyAfterChange(waitMs = 5000): Promise<boolean> {
    if (this.env.KAFKA_ACCESS_SYNC_MS === 0 && !this.env.KAFKA_JWKS_FILE) return false;
    const applied = this.syncNow().then(
      () => true,
      (error: unknown) => {
        this.logger.warn({ err: error }, 'Kafka access of clients not applied yet; retrying');
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    });
    try {
      return await Promise.race([applied, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.syncNow()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'Kafka access sync failed; retrying'),
        )
        .finally(() => this.schedule(this.env.KAFKA_ACCESS_SYNC_MS));
    }, delayMs);
    this.timer.unref();
  }

  private async sync(): Promise<KafkaAccessReport> {
    if (this.env.KAFKA_JWKS_FILE) {
      const { keys } = await this.keys.jwks();
      await writeBrokerJwksFile(
        this.env.KAFKA_JWKS_FILE,
        `${this.env.DB_HOST}:${this.env.DB_PORT}/${this.env.DB_NAME}`,
        keys,
      );
    }
    const clients = await this.dataSource.getRepository(ApiClient).find();
    const principals = new Set(clients.map((client) => `User:${client.clientId}`));
    const wanted = bindings(clients.flatMap(kafkaGrantsOf));
    const present = bindings(
      (await this.kafka.listAcls()).filter((grant) => principals.has(grant.principal)),
    );
    const missing = [...wanted].filter(([key]) => !present.has(key)).map(([, grant]) => grant);
    const extra = [...present].filter(([key]) => !wanted.has(key)).map(([, grant]) => grant);
    await this.kafka.createAcls(missing);
    await this.kafka.deleteAcls(extra);
    const report = { granted: missing.map(describeGrant), revoked: extra.map(describeGrant) };
    if (missing.length + extra.length > 0)
      this.logger.info(report, 'Kafka access of clients applied');
    return report;
  }
}
