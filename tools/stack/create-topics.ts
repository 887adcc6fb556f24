/**
 * Creates every topic declared in libs/contracts (and its dead-letter topic) on the local broker,
 * and grants each platform service its Kafka ACLs (libs/contracts kafka-access.ts), signed in as
 * the stack's administrator. Run by `npm run stack:up`; idempotent.
 */
import 'reflect-metadata';
import { allServiceAcls } from '@ecomlog/contracts';
import { ensureTopics, KafkaGateway } from '@ecomlog/messaging';
import { createLogger } from '@ecomlog/observability';
import { stack } from '@ecomlog/testing';

async function main(): Promise<void> {
  const brokers = (
    process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`
  ).split(',');
  const logger = createLogger('stack', 'warn');
  const kafka = new KafkaGateway(brokers, 'stack-topics', logger, stack.kafkaAdmin);
  try {
    const report = await ensureTopics(kafka);
    console.log(
      `topics: ${report.created.length} created, ${report.existing.length} already present`,
    );
    for (const topic of report.underPartitioned) {
      console.warn(
        `warning: ${topic.name} has ${topic.actual} partitions, ${topic.declared} declared (Kafka cannot add them for you here: run kafka-topics --alter)`,
      );
    }
    const grants = allServiceAcls();
    await kafka.createAcls(grants);
    console.log(`acls: ${grants.length} service grants in place`);
  } finally {
    await kafka.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(
    `Could not create topics and ACLs: ${error instanceof Error ? error.message : String(error)}. Is Kafka up? Try: npm run stack:status`,
  );
  process.exit(1);
});
