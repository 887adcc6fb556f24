/**
 * The denominator of the benchmark ratio (SPEC 8): this machine's raw Kafka produce+consume rate,
 * measured with the same messages, the same client (KafkaGateway: idempotent producer, acks=all)
 * and the same batch size, against a throwaway topic, with a consumer that does nothing else.
 */
import type { KafkaGateway, OutgoingRecord } from '@ecomlog/messaging';
import { waitFor } from '@ecomlog/testing';

export const PRODUCE_BATCH = 2000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Produces in batches (kafkajs does not batch by itself), paced to `rate` per second when given
 * (smaller batches then, so pacing is smooth). `onBatch` learns when each batch is handed over.
 */
export async function produceRecords(
  kafka: KafkaGateway,
  records: OutgoingRecord[],
  rate: number | null,
  onBatch: (from: number, to: number, at: number) => void = () => undefined,
): Promise<void> {
  const batchSize = rate
    ? Math.max(50, Math.min(PRODUCE_BATCH, Math.round(rate / 20)))
    : PRODUCE_BATCH;
  const started = Date.now();
  for (let i = 0; i < records.length; i += batchSize) {
    const batch = records.slice(i, i + batchSize);
    onBatch(i, i + batch.length, Date.now());
    await kafka.publish(batch);
    if (rate) {
      const wait = started + ((i + batch.length) / rate) * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
    }
  }
}

/**
 * Creates topics and waits until every partition has a leader. (kafkajs' own waitForLeaders gives
 * up on "does not host this topic-partition" when a busy broker is slow to load a new topic.)
 */
export async function createTopics(
  kafka: KafkaGateway,
  topics: { topic: string; partitions: number }[],
): Promise<void> {
  await kafka.withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: 1,
      })),
    }),
  );
  for (const { topic, partitions } of topics) {
    await waitFor(
      `topic ${topic} to have a leader for each partition`,
      async () =>
        (await kafka.withAdmin((admin) => admin.fetchTopicOffsets(topic))).length === partitions,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  }
}

export interface RawMeasure {
  count: number;
  produceMs: number;
  totalMs: number;
  rate: number;
}

/**
 * Produces `messages` to a throwaway `topic` (12 partitions; unpaced, or paced to `rate` per
 * second) and consumes them back with a consumer that does nothing else; deletes the topic.
 */
export async function rawKafkaRate(
  kafka: KafkaGateway,
  messages: (Pick<OutgoingRecord, 'key' | 'value'> & { headers?: Record<string, string> })[],
  topic: string,
  rate: number | null = null,
): Promise<RawMeasure> {
  await createTopics(kafka, [{ topic, partitions: 12 }]);
  try {
    let received = 0;
    let joined = false;
    const consumer = await kafka.runConsumer({
      groupId: `${topic}.consumer`,
      topics: [topic],
      partitionsConsumedConcurrently: 3,
      onBatch: (batch) => {
        joined = true;
        received += batch.records.length;
        batch.markProcessed(batch.records[batch.records.length - 1].offset);
        return Promise.resolve();
      },
    });
    try {
      // A warm-up record, so the group has joined before the clock starts.
      await kafka.publish([{ topic, key: 'warm-up', value: '{}', headers: {} }]);
      await waitFor('the raw consumer to join', () => Promise.resolve(joined), {
        timeoutMs: 60_000,
      });
      received = 0;
      const records = messages.map((m) => ({
        topic,
        key: m.key,
        value: m.value,
        headers: m.headers ?? {},
      }));
      const started = Date.now();
      await produceRecords(kafka, records, rate);
      const produceMs = Date.now() - started;
      await waitFor(
        'every raw message consumed',
        () => Promise.resolve(received >= records.length),
        {
          timeoutMs: 300_000,
          intervalMs: 10,
        },
      );
      const totalMs = Date.now() - started;
      return {
        count: records.length,
        produceMs,
        totalMs,
        rate: Math.round((records.length / totalMs) * 1000),
      };
    } finally {
      await consumer.stop();
    }
  } finally {
    await kafka.disconnect();
    await kafka
      .withAdmin((admin) => admin.deleteTopics({ topics: [topic] }))
      .catch((error: unknown) =>
        console.warn(`could not delete ${topic}: ${(error as Error).message}`),
      );
  }
}
