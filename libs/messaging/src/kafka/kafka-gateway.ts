import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  CompressionTypes,
  ResourcePatternTypes,
  type AclEntry,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type Producer,
  type LogEntry,
  type SASLOptions,
} from 'kafkajs';
import type { KafkaAclGrant, KafkaOperation } from '@ecomlog/contracts';
import type { AppLogger } from '@ecomlog/observability';
import { consumerHealthOf } from './consumer-health';

/**
 * How this process signs in to the broker. Every client listener requires SASL: services use a
 * user and password of their own (PLAIN on the local stack, SCRAM-SHA-512 under Strimzi);
 * couriers and subscribers present registry tokens (OAUTHBEARER).
 */
export type KafkaCredentials =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | { mechanism: 'oauthbearer'; token: () => Promise<string> };

/**
 * The only place that imports kafkajs. kafkajs is unmaintained since 2.2.4; keeping it behind
 * this adapter means the client can be swapped (e.g. for @confluentinc/kafka-javascript) by
 * rewriting one file.
 */
export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
}

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export interface BatchContext {
  topic: string;
  partition: number;
  records: IncomingRecord[];
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
  /** Moves this partition's fetch position past `offset`. */
  markProcessed(offset: string): void;
  /** The partition's high watermark when the batch was fetched (the next offset to be written). */
  highWatermark: string;
  /**
   * Commits `nextOffset` for this partition to Kafka's group coordinator, so Kafka's own lag tools
   * see the group's progress (the consumer's database stays the authority on positions).
   */
  commit(nextOffset: string): Promise<void>;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs?: number;
  maxBytesPerPartition?: number;
  /**
   * Where to resume each newly assigned partition (e.g. offsets stored in the consumer's own
   * database); partitions it leaves out start from Kafka's committed offset or the beginning.
   */
  startOffsets?: (
    assigned: { topic: string; partition: number }[],
  ) => Promise<{ topic: string; partition: number; offset: string }[]>;
  /**
   * Where a group without stored or committed offsets starts: `earliest` (default; read models
   * rebuild from the start) or `latest` (a live view that only wants what happens from now on).
   */
  startFrom?: 'earliest' | 'latest';
  onBatch(batch: BatchContext): Promise<void>;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

export class KafkaGateway {
  private readonly kafka: Kafka;
  private producerPromise?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();

  constructor(
    brokers: string[],
    clientId: string,
    private readonly logger: AppLogger,
    credentials: KafkaCredentials,
  ) {
    this.kafka = new Kafka({
      clientId,
      brokers,
      sasl: saslOptions(credentials),
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: { initialRetryTime: 300, retries: 8 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.log(entry),
    });
  }

  /** Sends records in one call per batch (kafkajs does not batch by itself), waiting for all ISR. */
  async publish(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.producer();
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push(record);
      byTopic.set(record.topic, list);
    }
    await producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      })),
    });
  }

  /**
   * Runs a consumer until `stop()`. kafkajs restarts a consumer itself after retriable errors but
   * gives up after a non-retriable one (e.g. "Failed to find group coordinator" while a broker
   * restarts): then this replaces it with a new consumer after a pause, so a service never stays
   * up with a dead consumer.
   */
  async runConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
    let stopped = false;
    let current: Consumer | undefined;
    let replacing: NodeJS.Timeout | undefined;
    const replaceLater = (old: Consumer | undefined): void => {
      replacing = setTimeout(() => {
        replacing = undefined;
        void (async () => {
          await old?.disconnect().catch(() => undefined);
          if (stopped) return;
          try {
            await start();
          } catch (error) {
            consumerHealthOf(this).set(
              options.groupId,
              'crashed',
              error instanceof Error ? error.message : String(error),
            );
            this.logger.error(
              { err: error, group: options.groupId },
              'consumer replacement failed; retrying in 5 s',
            );
            replaceLater(undefined);
          }
        })();
      }, 5000);
    };
    const start = async (): Promise<void> => {
      const consumer = await this.startConsumer(options);
      current = consumer;
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart || stopped) return;
        this.logger.error(
          { err: payload.error, group: options.groupId },
          'consumer stopped by a non-retriable error; replacing it in 5 s',
        );
        this.consumers.delete(consumer);
        replaceLater(consumer);
      });
    };
    await start();
    return {
      stop: async () => {
        stopped = true;
        clearTimeout(replacing);
        consumerHealthOf(this).forget(options.groupId);
        // disconnect() lets the batch in hand finish before leaving the group.
        await current?.disconnect();
        if (current) this.consumers.delete(current);
      },
    };
  }

  private async startConsumer(options: ConsumerOptions): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      retry: { retries: 10 },
    });
    this.consumers.add(consumer);
    // What /ready reports: registered before connect, so the first GROUP_JOIN is not missed.
    const health = consumerHealthOf(this);
    health.set(options.groupId, 'joining');
    consumer.on(consumer.events.GROUP_JOIN, () => health.set(options.groupId, 'joined'));
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      health.set(options.groupId, 'crashed', payload.error.message),
    );
    const startOffsets = options.startOffsets;
    if (startOffsets) {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => ({ topic, partition })),
        );
        // A failed lookup (e.g. the database restarting) is retried: without the seek the
        // consumer would read from the start and filter everything it already applied.
        const seek = async (attempt: number): Promise<void> => {
          try {
            for (const position of await startOffsets(assigned)) consumer.seek(position);
          } catch (error) {
            this.logger.error(
              { err: error, group: options.groupId, attempt },
              'could not seek to stored offsets; retrying',
            );
            if (attempt < 30) {
              await new Promise((resolve) => setTimeout(resolve, 1000));
              await seek(attempt + 1);
            }
          }
        };
        void seek(1);
      });
    }
    await consumer.connect();
    await consumer.subscribe({
      topics: options.topics,
      fromBeginning: (options.startFrom ?? 'earliest') === 'earliest',
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        await options.onBatch({
          topic: batch.topic,
          partition: batch.partition,
          records: batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key,
            value: m.value,
            headers: flattenHeaders(m.headers),
            timestamp: m.timestamp,
          })),
          heartbeat: () => payload.heartbeat(),
          isRunning: () => payload.isRunning(),
          isStale: () => payload.isStale(),
          markProcessed: (offset: string) => payload.resolveOffset(offset),
          highWatermark: batch.highWatermark,
          commit: (nextOffset: string) =>
            consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: nextOffset },
            ]),
        });
      },
    });
    return consumer;
  }

  async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Creates the grants that are missing (creating an existing binding is a no-op in Kafka). */
  async createAcls(grants: readonly KafkaAclGrant[]): Promise<void> {
    const acl = grants.flatMap(aclEntries);
    if (acl.length === 0) return;
    await this.withAdmin((admin) => admin.createAcls({ acl }));
  }

  /** Removes exactly these grants. */
  async deleteAcls(grants: readonly KafkaAclGrant[]): Promise<void> {
    const filters = grants.flatMap(aclEntries);
    if (filters.length === 0) return;
    await this.withAdmin((admin) => admin.deleteAcls({ filters }));
  }

  /** Every ALLOW grant on the broker, one per operation (a KafkaAclGrant with one operation). */
  async listAcls(): Promise<KafkaAclGrant[]> {
    const answer = await this.withAdmin((admin) =>
      admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ALLOW,
      }),
    );
    return answer.resources.flatMap((resource) =>
      resource.acls.flatMap((acl): KafkaAclGrant[] => {
        const resourceType = RESOURCE_NAMES.get(resource.resourceType);
        const operation = OPERATION_NAMES.get(acl.operation);
        if (!resourceType || !operation) return [];
        return [
          {
            principal: acl.principal,
            resourceType,
            resourceName: resource.resourceName,
            patternType:
              resource.resourcePatternType === ResourcePatternTypes.PREFIXED
                ? 'prefixed'
                : 'literal',
            operations: [operation],
          },
        ];
      }),
    );
  }

  /** A cheap metadata round trip: true when a broker answers. */
  async isReachable(): Promise<boolean> {
    try {
      await this.withAdmin((admin) => admin.describeCluster());
      return true;
    } catch {
      return false;
    }
  }

  async disconnect(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    if (this.producerPromise) {
      const producer = await this.producerPromise.catch(() => undefined);
      this.producerPromise = undefined;
      await producer?.disconnect();
    }
  }

  private producer(): Promise<Producer> {
    this.producerPromise ??= (async () => {
      // Idempotent producer: retries cannot duplicate or reorder messages within a partition.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producerPromise = undefined;
      throw error;
    });
    return this.producerPromise;
  }

  private log(entry: LogEntry): void {
    const { message, ...rest } = entry.log;
    const fields = { kafka: { namespace: entry.namespace, ...rest } };
    if (entry.level === logLevel.ERROR) this.logger.error(fields, message);
    else if (entry.level === logLevel.WARN) this.logger.warn(fields, message);
    else this.logger.debug(fields, message);
  }
}

function saslOptions(credentials: KafkaCredentials): SASLOptions {
  if (credentials.mechanism === 'oauthbearer') {
    const { token } = credentials;
    return {
      mechanism: 'oauthbearer',
      oauthBearerProvider: async () => ({ value: await token() }),
    };
  }
  return credentials;
}

const OPERATIONS: Record<KafkaOperation, AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Describe: AclOperationTypes.DESCRIBE,
  Create: AclOperationTypes.CREATE,
  Alter: AclOperationTypes.ALTER,
  AlterConfigs: AclOperationTypes.ALTER_CONFIGS,
  DescribeConfigs: AclOperationTypes.DESCRIBE_CONFIGS,
};
const OPERATION_NAMES = new Map(
  Object.entries(OPERATIONS).map(([name, code]) => [code, name as KafkaOperation]),
);
const RESOURCES: Record<KafkaAclGrant['resourceType'], AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
};
const RESOURCE_NAMES = new Map(
  Object.entries(RESOURCES).map(([name, code]) => [code, name as KafkaAclGrant['resourceType']]),
);

function aclEntries(grant: KafkaAclGrant): AclEntry[] {
  return grant.operations.map((operation) => ({
    principal: grant.principal,
    host: '*',
    operation: OPERATIONS[operation],
    permissionType: AclPermissionTypes.ALLOW,
    resourceType: RESOURCES[grant.resourceType],
    resourceName: grant.resourceName,
    resourcePatternType:
      grant.patternType === 'prefixed'
        ? ResourcePatternTypes.PREFIXED
        : ResourcePatternTypes.LITERAL,
  }));
}

function flattenHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) continue;
    flat[name] = Buffer.isBuffer(first)
      ? first.toString('utf8')
      : typeof first === 'string'
        ? first
        : JSON.stringify(first);
  }
  return flat;
}
