import {
  allTopicDeclarations,
  topicConfigEntries,
  type TopicDeclaration,
} from '@ecomlog/contracts';
import type { KafkaGateway } from './kafka/kafka-gateway';

export interface TopicSyncReport {
  created: string[];
  existing: string[];
  /** Existing topics with fewer partitions than declared (Kafka can only grow them). */
  underPartitioned: { name: string; actual: number; declared: number }[];
}

/** Creates every declared topic that is missing. Idempotent; never deletes or shrinks anything. */
export async function ensureTopics(
  kafka: KafkaGateway,
  declarations: TopicDeclaration[] = allTopicDeclarations(),
  replicationFactor = 1,
): Promise<TopicSyncReport> {
  return kafka.withAdmin(async (admin) => {
    const existingNames = new Set(await admin.listTopics());
    const missing = declarations.filter((topic) => !existingNames.has(topic.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor,
          configEntries: Object.entries(topicConfigEntries(topic)).map(([name, value]) => ({
            name,
            value,
          })),
        })),
      });
    }
    const present = declarations.filter((topic) => existingNames.has(topic.name));
    const metadata =
      present.length > 0
        ? await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) })
        : { topics: [] };
    const underPartitioned = metadata.topics.flatMap((meta) => {
      const declared = present.find((t) => t.name === meta.name)?.partitions ?? 0;
      return meta.partitions.length < declared
        ? [{ name: meta.name, actual: meta.partitions.length, declared }]
        : [];
    });
    return {
      created: missing.map((t) => t.name),
      existing: present.map((t) => t.name),
      underPartitioned,
    };
  });
}
