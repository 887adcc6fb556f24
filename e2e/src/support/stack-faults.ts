import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { KafkaGateway } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { ServiceProcess, stack } from '@ecomlog/testing';

/** Restarts one part of the shared stack with its data kept (tools/stack/stack.sh restart). */
export async function restartStackPart(part: 'kafka' | 'postgres'): Promise<number> {
  const started = Date.now();
  await promisify(execFile)(
    'bash',
    [join(process.cwd(), 'tools', 'stack', 'stack.sh'), 'restart', part],
    {
      timeout: 180000,
    },
  );
  return Date.now() - started;
}

/**
 * One statement on a fresh connection: the test's own connections must survive a PostgreSQL
 * restart as well as the services' do, so none is kept open.
 */
export async function sql<T>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ ...stack.postgres, database, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** High watermark of every partition of each topic (topics that do not exist are left out). */
export async function highWatermarks(
  kafka: KafkaGateway,
  topics: string[],
): Promise<{ topic: string; partition: number; high: string }[]> {
  return kafka.withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const result: { topic: string; partition: number; high: string }[] = [];
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const end of await admin.fetchTopicOffsets(topic))
        result.push({ topic, partition: end.partition, high: end.high });
    }
    return result;
  });
}

export function e2eKafka(clientId: string): KafkaGateway {
  return new KafkaGateway(
    stack.kafkaBrokers,
    clientId,
    createLogger('e2e', 'fatal'),
    stack.kafkaAdmin,
  );
}

/**
 * Starts a service whose consumers begin at the topics' current ends instead of replaying the
 * shared topics' history: a first start without consumers migrates its database, then offset
 * rows at the high watermarks are stored where the consumers read their positions
 * (consumer_offset, group = prefix + group), then the service starts for real.
 */
export async function startFromNow(
  service: string,
  database: string,
  env: Record<string, string>,
  groups: Record<string, string>,
  kafka: KafkaGateway,
): Promise<ServiceProcess> {
  const migrator = await ServiceProcess.create(service, database, {
    ...env,
    CONSUMERS_ENABLED: 'false',
  });
  await migrator.start();
  await migrator.stop();
  const prefix = env.CONSUMER_GROUP_PREFIX ?? '';
  const ends = await highWatermarks(kafka, [...new Set(Object.values(groups))]);
  for (const [group, topic] of Object.entries(groups)) {
    for (const end of ends.filter((e) => e.topic === topic)) {
      await sql(
        database,
        `INSERT INTO consumer_offset (consumer_group, topic, partition, next_offset)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [`${prefix}${group}`, topic, end.partition, end.high],
      );
    }
  }
  const process = await ServiceProcess.create(service, database, env);
  await process.start();
  return process;
}
