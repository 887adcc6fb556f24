import {
  allTopicDeclarations,
  carrierDoorTopic,
  carrierOfDoor,
  deadLetterTopicOf,
  TOPICS,
  type PlatformService,
} from './topics';

/**
 * Who may do what on Kafka, derived from the topic declaration (topics.ts) so that the local
 * stack, the registry's client grants and the deploy manifests (Strimzi KafkaUser ACLs) cannot
 * disagree. The broker runs StandardAuthorizer with `allow.everyone.if.no.acl.found=false`:
 * whatever is not granted here is refused.
 */
export type KafkaOperation =
  'Read' | 'Write' | 'Describe' | 'Create' | 'Alter' | 'AlterConfigs' | 'DescribeConfigs';

export interface KafkaAclGrant {
  /** Kafka principal, `User:<name>`. */
  readonly principal: string;
  readonly resourceType: 'topic' | 'group' | 'cluster';
  /** Topic or group name (or prefix); `kafka-cluster` for the cluster resource; `*` = every one. */
  readonly resourceName: string;
  readonly patternType: 'literal' | 'prefixed';
  readonly operations: readonly KafkaOperation[];
}

export const PLATFORM_SERVICES: readonly PlatformService[] = [
  'registry',
  'sites',
  'parcels',
  'funds',
  'analytics',
  'dashboard',
];

/** The Kafka user a service signs in as (SASL PLAIN locally, SCRAM-SHA-512 under Strimzi). */
export function servicePrincipalName(service: PlatformService): string {
  return `svc-${service}`;
}

/**
 * A service owns its namespace (`parcels.` for parcels): it writes and reads the topics in it,
 * which also covers the private topics a test or benchmark run names inside it. It reads the
 * declared topics it consumes and writes their dead-letter topics. Consumer groups carry a
 * deployment prefix of the operator's choosing (CONSUMER_GROUP_PREFIX), so a service may use any
 * group; groups hold no data, only positions, and the database keeps the authoritative ones.
 */
export function serviceAcls(service: PlatformService): KafkaAclGrant[] {
  const principal = `User:${servicePrincipalName(service)}`;
  const grants: KafkaAclGrant[] = [
    {
      principal,
      resourceType: 'topic',
      resourceName: `${service}.`,
      patternType: 'prefixed',
      operations: ['Read', 'Write', 'Describe', 'DescribeConfigs'],
    },
    {
      principal,
      resourceType: 'group',
      resourceName: '*',
      patternType: 'literal',
      operations: ['Read', 'Describe'],
    },
  ];
  for (const topic of allTopicDeclarations()) {
    if (!topic.readers.includes(service) || topic.name.startsWith(`${service}.`)) continue;
    grants.push(
      {
        principal,
        resourceType: 'topic',
        resourceName: topic.name,
        patternType: 'literal',
        operations: ['Read', 'Describe'],
      },
      {
        principal,
        resourceType: 'topic',
        resourceName: deadLetterTopicOf(topic.name),
        patternType: 'literal',
        operations: ['Write', 'Describe'],
      },
    );
  }
  if (service === 'registry') {
    // The registry grants and revokes its clients' access (kafka-access in apps/registry).
    grants.push({
      principal,
      resourceType: 'cluster',
      resourceName: 'kafka-cluster',
      patternType: 'literal',
      operations: ['Describe', 'Alter'],
    });
  }
  return grants;
}

export function allServiceAcls(): KafkaAclGrant[] {
  return PLATFORM_SERVICES.flatMap(serviceAcls);
}

/** A courier client writes its own carrier's scan door and nothing else. */
export function courierAcls(clientId: string, carrier: string): KafkaAclGrant[] {
  const door = carrierDoorTopic(carrier);
  if (carrierOfDoor(door) === undefined) return [];
  return [
    {
      principal: `User:${clientId}`,
      resourceType: 'topic',
      resourceName: door,
      patternType: 'literal',
      operations: ['Write', 'Describe'],
    },
  ];
}

/**
 * An indicator subscriber (e.g. a provincial big-data centre) reads analytics.indicators.v1 and
 * nothing else, in consumer groups named after its client id (`<clientId>` or `<clientId>.…`), or
 * in the `console-consumer-<n>` groups Kafka's console consumer picks when given none (groups
 * hold positions, not data; the platform's own groups carry other names).
 */
export function subscriberAcls(clientId: string): KafkaAclGrant[] {
  const principal = `User:${clientId}`;
  return [
    {
      principal,
      resourceType: 'topic',
      resourceName: TOPICS.analyticsIndicators.name,
      patternType: 'literal',
      operations: ['Read', 'Describe'],
    },
    {
      principal,
      resourceType: 'group',
      resourceName: clientId,
      patternType: 'prefixed',
      operations: ['Read', 'Describe'],
    },
    {
      principal,
      resourceType: 'group',
      resourceName: 'console-consumer-',
      patternType: 'prefixed',
      operations: ['Read', 'Describe'],
    },
  ];
}

/** One line per grant, for logs and reports: `User:x Write,Describe topic:parcels.scans.zto.v1`. */
export function describeGrant(grant: KafkaAclGrant): string {
  const star = grant.patternType === 'prefixed' ? '*' : '';
  return `${grant.principal} ${grant.operations.join(',')} ${grant.resourceType}:${grant.resourceName}${star}`;
}
