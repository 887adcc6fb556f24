/**
 * The single declaration of every Kafka topic. The local stack creates topics from it, the deploy
 * manifests and the AsyncAPI document are generated from it, and consumers name topics through it.
 */
/** `consumers`: a dead-letter topic, written by whichever consumer rejected a message. */
export type ProducingService =
  'registry' | 'sites' | 'parcels' | 'funds' | 'analytics' | 'external' | 'consumers';

export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  /** Compacted topics keep the latest value per key forever: they are the source of read models. */
  readonly compacted: boolean;
  /** Retention of a non-compacted topic in milliseconds; -1 keeps everything (replayable). */
  readonly retentionMs: number;
  /** What the message key is; per-key order is the only order Kafka keeps. */
  readonly key: string;
  readonly producer: ProducingService;
  readonly description: string;
  /** A command line showing a subscriber (or an external producer) how to use the topic. */
  readonly example?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rebuilds replay from offset 0, so fact topics keep everything by default. */
const KEEP_FOREVER = -1;

export const TOPICS = {
  registryDivisions: {
    name: 'registry.divisions.v1',
    partitions: 3,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'division code (12 digits)',
    producer: 'registry',
    description: 'Administrative divisions (统计用区划代码): latest state of every division.',
  },
  registryEnterprises: {
    name: 'registry.enterprises.v1',
    partitions: 6,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'enterprise id',
    producer: 'registry',
    description: 'Enterprises with kinds, status, credit status and shops: latest state of each.',
  },
  sitesSites: {
    name: 'sites.sites.v1',
    partitions: 6,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'site id',
    producer: 'sites',
    description: 'Service sites and logistics facilities with their dated status history.',
  },
  sitesActivities: {
    name: 'sites.activities.v1',
    partitions: 3,
    compacted: false,
    retentionMs: KEEP_FOREVER,
    key: 'site id',
    producer: 'sites',
    description: 'Assessments (动态考核) and trainings held at sites.',
  },
  parcelScans: {
    name: 'parcels.scans.v1',
    partitions: 12,
    compacted: false,
    retentionMs: 14 * DAY_MS,
    key: 'waybill number',
    producer: 'external',
    description:
      'Raw courier scans, produced by couriers with any Kafka client or by POST /v1/scans.',
    example:
      'echo \'73100000001:{"scanId":"ZTO-1","carrier":"ZTO","waybillNo":"73100000001","status":"收件","occurredAt":"2024-08-01T09:00:00+08:00","divisionCode":"330782000000"}\' | kcat -P -b 127.0.0.1:9092 -t parcels.scans.v1 -K:',
  },
  parcelLifecycle: {
    name: 'parcels.lifecycle.v1',
    partitions: 12,
    compacted: false,
    retentionMs: KEEP_FOREVER,
    key: 'waybill number',
    producer: 'parcels',
    description: 'Normalised parcel status changes.',
  },
  parcelOrders: {
    name: 'parcels.orders.v1',
    partitions: 6,
    compacted: false,
    retentionMs: KEEP_FOREVER,
    key: 'platform:orderNo',
    producer: 'parcels',
    description:
      'Order facts (paid, refunded, shipped) that analytics sums without rereading orders.',
  },
  fundsLedger: {
    name: 'funds.ledger.v1',
    partitions: 3,
    compacted: false,
    retentionMs: KEEP_FOREVER,
    key: 'program id',
    producer: 'funds',
    description: 'Journal entries and state changes of sources, programs, contracts and subsidies.',
  },
  analyticsIndicators: {
    name: 'analytics.indicators.v1',
    partitions: 6,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'indicator|division|period',
    producer: 'analytics',
    description:
      'Latest value of every changed indicator cell, with a monotonically increasing version: keep the highest version per key and drop the rest.',
    example:
      "kcat -C -b 127.0.0.1:9092 -t analytics.indicators.v1 -o beginning -f '%k %s\\n' | grep '|370982'",
  },
} as const satisfies Record<string, TopicDeclaration>;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];

export const DEAD_LETTER_SUFFIX = '.dlq';

/** Messages that fail validation on `topic` are parked here with the reason in their headers. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** Every topic the platform needs, dead-letter topics included, in creation order. */
export function allTopicDeclarations(): TopicDeclaration[] {
  return Object.values(TOPICS).flatMap((topic): TopicDeclaration[] => [
    topic,
    {
      name: deadLetterTopicOf(topic.name),
      partitions: 1,
      compacted: false,
      retentionMs: 30 * DAY_MS,
      key: topic.key,
      producer: 'consumers',
      description: `Messages consumers rejected from ${topic.name}, with the reason in the dlq_reason header.`,
    },
  ]);
}

/** Kafka topic-level configuration for a declaration (used by the stack and the deploy manifests). */
export function topicConfigEntries(topic: TopicDeclaration): Record<string, string> {
  return topic.compacted
    ? { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(60 * 60 * 1000) }
    : { 'cleanup.policy': 'delete', 'retention.ms': String(topic.retentionMs) };
}
