/**
 * The single declaration of every Kafka topic. The local stack creates topics from it, the deploy
 * manifests and the AsyncAPI document are generated from it, and consumers name topics through it.
 */
/** The platform's own deployables; each signs in to Kafka as `svc-<name>` (see kafka-access.ts). */
export type PlatformService =
  'registry' | 'sites' | 'parcels' | 'funds' | 'analytics' | 'dashboard';

/**
 * `external`: written by other organisations' clients (a courier's scan door).
 * `consumers`: a dead-letter topic, written by whichever consumer rejected a message.
 */
export type ProducingService = Exclude<PlatformService, 'dashboard'> | 'external' | 'consumers';

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
  /** The services that consume it: they get read access (and write access to its `.dlq`). */
  readonly readers: readonly PlatformService[];
  /** Only on a courier's scan door: the carrier whose registered clients may write it. */
  readonly carrier?: string;
  readonly description: string;
  /** A command line showing a subscriber (or an external producer) how to use the topic. */
  readonly example?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rebuilds replay from offset 0, so fact topics keep everything by default. */
const KEEP_FOREVER = -1;

/** Where a client of librdkafka ≥ 2.6.1 (built with curl) signs in; see apps/parcels/README.md. */
const OIDC_CLIENT_SETTINGS =
  '-X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=OAUTHBEARER -X sasl.oauthbearer.method=oidc -X sasl.oauthbearer.token.endpoint.url=http://127.0.0.1:3001/v1/oauth/token -X sasl.oauthbearer.client.id=$CLIENT_ID -X sasl.oauthbearer.client.secret=$CLIENT_SECRET';

export const TOPICS = {
  registryDivisions: {
    name: 'registry.divisions.v1',
    partitions: 3,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'division code (12 digits)',
    producer: 'registry',
    readers: ['sites', 'parcels', 'analytics'],
    description: 'Administrative divisions (统计用区划代码): latest state of every division.',
  },
  registryEnterprises: {
    name: 'registry.enterprises.v1',
    partitions: 6,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'enterprise id',
    producer: 'registry',
    readers: ['sites', 'parcels', 'funds', 'analytics'],
    description: 'Enterprises with kinds, status, credit status and shops: latest state of each.',
  },
  registryClients: {
    name: 'registry.clients.v1',
    partitions: 3,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'client id',
    producer: 'registry',
    readers: ['parcels'],
    description:
      'Machine clients (couriers, platforms, subscribers) and whether they are active; never their secrets.',
  },
  sitesSites: {
    name: 'sites.sites.v1',
    partitions: 6,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'site id',
    producer: 'sites',
    readers: ['parcels', 'funds', 'analytics'],
    description: 'Service sites and logistics facilities with their dated status history.',
  },
  sitesActivities: {
    name: 'sites.activities.v1',
    partitions: 3,
    compacted: false,
    retentionMs: KEEP_FOREVER,
    key: 'site id',
    producer: 'sites',
    readers: ['analytics'],
    description: 'Assessments (动态考核) and trainings held at sites.',
  },
  parcelScans: {
    name: 'parcels.scans.v1',
    partitions: 12,
    compacted: false,
    retentionMs: 14 * DAY_MS,
    key: 'waybill number',
    producer: 'parcels',
    readers: ['parcels'],
    description:
      "Scans accepted at the HTTP door (POST /v1/scans), checked against the caller's carrier; couriers write their own carrier's door (parcels.scans.<carrier>.v1) instead.",
  },
  parcelLifecycle: {
    name: 'parcels.lifecycle.v1',
    partitions: 12,
    compacted: false,
    retentionMs: KEEP_FOREVER,
    key: 'waybill number',
    producer: 'parcels',
    readers: ['analytics'],
    description: 'Normalised parcel status changes.',
  },
  parcelOrders: {
    name: 'parcels.orders.v1',
    partitions: 6,
    compacted: false,
    retentionMs: KEEP_FOREVER,
    key: 'platform:orderNo',
    producer: 'parcels',
    readers: ['analytics'],
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
    readers: ['analytics'],
    description: 'Journal entries and state changes of sources, programs, contracts and subsidies.',
  },
  analyticsIndicators: {
    name: 'analytics.indicators.v1',
    partitions: 6,
    compacted: true,
    retentionMs: KEEP_FOREVER,
    key: 'indicator|division|period',
    producer: 'analytics',
    readers: ['funds', 'dashboard'],
    description:
      'Latest value of every changed indicator cell, with a monotonically increasing version: keep the highest version per key and drop the rest.',
    example: `kcat -C -b 127.0.0.1:9092 ${OIDC_CLIENT_SETTINGS} -t analytics.indicators.v1 -o beginning -f '%k %s\\n' | grep '|370982'`,
  },
} as const satisfies Record<string, TopicDeclaration>;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];

/**
 * Express brands (快递品牌) with a scan door of their own on Kafka. Only a courier client the
 * registry issued for that carrier may write the door, and parcels dead-letters a scan whose
 * `carrier` is not the door's. A carrier not listed here sends scans over HTTP (POST /v1/scans)
 * until its door is declared.
 */
export const CARRIER_DOORS = [
  'EMS',
  'SF',
  'JD',
  'ZTO',
  'YTO',
  'YUNDA',
  'STO',
  'JT',
  'DBL',
] as const;

/** `parcels.scans.zto.v1` for `ZTO`. */
export function carrierDoorTopic(carrier: string): string {
  return `parcels.scans.${carrier.toLowerCase()}.v1`;
}

/** The carrier whose door `topic` is, or undefined when it is no carrier's door. */
export function carrierOfDoor(topic: string): string | undefined {
  return CARRIER_DOORS.find((carrier) => carrierDoorTopic(carrier) === topic);
}

export function carrierDoorDeclarations(): TopicDeclaration[] {
  return CARRIER_DOORS.map((carrier) => ({
    name: carrierDoorTopic(carrier),
    partitions: 12,
    compacted: false,
    retentionMs: 14 * DAY_MS,
    key: 'waybill number',
    producer: 'external',
    readers: ['parcels'],
    carrier,
    description: `Scan door of carrier ${carrier}: plain JSON scans written by ${carrier}'s registered courier clients (OAUTHBEARER with their registry client credentials); a scan of another carrier is dead-lettered.`,
    example: `echo '73100000001:{"scanId":"${carrier}-1","carrier":"${carrier}","waybillNo":"73100000001","status":"picked_up","occurredAt":"2024-08-01T09:00:00+08:00","divisionCode":"330782000000"}' | kcat -P -b 127.0.0.1:9092 ${OIDC_CLIENT_SETTINGS} -t ${carrierDoorTopic(carrier)} -K:`,
  }));
}

export const DEAD_LETTER_SUFFIX = '.dlq';

/** Messages that fail validation on `topic` are parked here with the reason in their headers. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** Every topic the platform needs, dead-letter topics included, in creation order. */
export function allTopicDeclarations(): TopicDeclaration[] {
  const declared: TopicDeclaration[] = [...Object.values(TOPICS), ...carrierDoorDeclarations()];
  return declared.flatMap((topic): TopicDeclaration[] => [
    topic,
    {
      name: deadLetterTopicOf(topic.name),
      partitions: 1,
      compacted: false,
      retentionMs: 30 * DAY_MS,
      key: topic.key,
      producer: 'consumers',
      readers: [],
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
