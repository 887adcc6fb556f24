/**
 * Generates the Kubernetes manifests in deploy/k8s from the topic declaration and the Kafka access
 * rules in libs/contracts and the service table below:
 *   - kafka-cluster.yaml  the Strimzi Kafka cluster (KafkaNodePool + Kafka): SASL on every client
 *                         listener (SCRAM-SHA-512 for the services, OAUTHBEARER with registry tokens
 *                         for couriers and subscribers), simple (ACL) authorization
 *   - topics.yaml         Strimzi KafkaTopic resources (every declared topic and its .dlq)
 *   - users.yaml          one Strimzi KafkaUser per app (svc-<name>, SCRAM-SHA-512) with the ACLs of
 *                         serviceAcls(<name>)
 *   - services.yaml       per service: ConfigMap, Deployment, Service, HorizontalPodAutoscaler and
 *                         PodDisruptionBudget, plus the ConfigMap shared by all services and the one
 *                         shared by the services that own data (PostgreSQL, Redis, outbox)
 * and, for docker-compose.yml, deploy/docker/kafka/create-topics-and-acls.sh (compose-kafka-init.ts).
 *
 * Usage (from the repository root):
 *   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register tools/deploy/generate-manifests.ts [--check]
 * --check writes nothing and exits 1 when the committed files differ from the generated ones.
 */
// The contracts' payload classes carry class-transformer decorators, which need the Reflect API.
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Document, type ToStringOptions } from 'yaml';
import {
  allTopicDeclarations,
  serviceAcls,
  servicePrincipalName,
  topicConfigEntries,
  type KafkaAclGrant,
  type TopicDeclaration,
} from '@ecomlog/contracts';
import { COMPOSE_KAFKA_INIT_SCRIPT, renderComposeKafkaInit } from './compose-kafka-init';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** Where the generated files live, relative to the repository root. */
export const MANIFEST_DIR = 'deploy/k8s';
/** Name of the Strimzi `Kafka` resource the topics belong to (label strimzi.io/cluster). */
export const KAFKA_CLUSTER = 'ecomlog';
/** Strimzi's current custom-resource API (v1beta2 was removed in Strimzi 1.0). */
export const STRIMZI_API_VERSION = 'kafka.strimzi.io/v1';
/** The Kafka version the cluster runs (Strimzi 1.2's default). */
export const KAFKA_VERSION = '4.3.1';
export const KAFKA_BROKERS_PER_CLUSTER = 3;
/** Listener of the platform's services: SCRAM-SHA-512 (their KafkaUsers); Strimzi's bootstrap Service. */
export const SCRAM_LISTENER = { name: 'scram', port: 9092 } as const;
/** Listener of couriers and indicator subscribers: OAUTHBEARER with registry client-credential tokens. */
export const OAUTH_LISTENER = { name: 'oauth', port: 9093 } as const;
/** What a registry token must carry to sign in to Kafka (the registry's AUTH_ISSUER, KAFKA_TOKEN_AUDIENCE). */
export const KAFKA_OAUTH_ISSUER = 'ecomlog-registry';
export const KAFKA_OAUTH_AUDIENCE = 'kafka';
/**
 * The registry pods' public keys for the brokers, through a Service that also routes to registry
 * pods that are not ready: a registry is not ready while Kafka is down, and a broker does not start
 * while its JWKS endpoint is unreachable, so the ordinary Service would deadlock a cold start.
 */
export const REGISTRY_KEYS_SERVICE = 'ecomlog-registry-keys';
/** Strimzi's User Operator leaves alone the users (ACLs) the registry manages: everyone but svc-*. */
export const USER_OPERATOR_IGNORED_USERS_PATTERN = '^(?!svc-).*$';
export const TOPIC_REPLICAS = 3;
export const TOPIC_MIN_INSYNC_REPLICAS = 2;
export const TERMINATION_GRACE_PERIOD_SECONDS = 60;
/** The image's `node` user. */
const RUN_AS_USER = 1000;

export type ServiceName = 'registry' | 'sites' | 'parcels' | 'funds' | 'analytics' | 'dashboard';

export interface ServiceSpec {
  readonly name: ServiceName;
  /** HTTP port: the default HTTP_PORT of apps/<name>/src/config.ts. */
  readonly port: number;
  readonly description: string;
  /**
   * Whether the app owns data: a PostgreSQL database named after it (DB_NAME = DB_USER = name,
   * password from Secret ecomlog-<name>-db, created by deploy/docker/postgres-init), Redis and an
   * outbox. False for the dashboard, which gets none of that configuration.
   */
  readonly database: boolean;
  /**
   * 'shared': the replicas form one consumer group per consumer, so partitions bound how many
   * replicas consume. 'per-process': every process reads with a group of its own (a live view), so
   * every replica sees every partition and partitions do not bound the replicas.
   */
  readonly consumerGroups: 'shared' | 'per-process';
  readonly minReplicas: number;
  /** With shared consumer groups, never above the largest topic's partition count (see the HPA comment). */
  readonly maxReplicas: number;
  /** Environment of this app alone (its ConfigMap ecomlog-<name>), besides SERVICE_NAME and HTTP_PORT. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** The five services; DB_NAME is the service name (the default of apps/<name>/src/config.ts). */
export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'registry',
    port: 3001,
    description: 'Administrative divisions, enterprises, shops and brands, clients and officials.',
    database: true,
    consumerGroups: 'shared',
    minReplicas: 2,
    maxReplicas: 4,
    cpuRequest: '100m',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'sites',
    port: 3002,
    description: 'Service sites and logistics facilities, assessments and trainings.',
    database: true,
    consumerGroups: 'shared',
    minReplicas: 2,
    maxReplicas: 6,
    cpuRequest: '100m',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'parcels',
    port: 3003,
    description: 'Courier scans, parcel lifecycle and orders.',
    database: true,
    consumerGroups: 'shared',
    minReplicas: 2,
    maxReplicas: 12,
    cpuRequest: '250m',
    memoryRequest: '384Mi',
    memoryLimit: '768Mi',
  },
  {
    name: 'funds',
    port: 3004,
    description: 'Fund sources, programs, contracts and subsidies (ledger).',
    database: true,
    consumerGroups: 'shared',
    minReplicas: 2,
    maxReplicas: 3,
    cpuRequest: '100m',
    memoryRequest: '256Mi',
    memoryLimit: '512Mi',
  },
  {
    name: 'analytics',
    port: 3005,
    description: 'Indicators aggregated from every fact topic.',
    database: true,
    consumerGroups: 'shared',
    minReplicas: 2,
    maxReplicas: 6,
    cpuRequest: '250m',
    memoryRequest: '384Mi',
    memoryLimit: '768Mi',
  },
  {
    name: 'dashboard',
    port: 3006,
    description:
      "Officials' web dashboard: static page and ECharts, a proxy to the five services, live indicators (SSE).",
    database: false,
    consumerGroups: 'per-process',
    minReplicas: 2,
    maxReplicas: 6,
    cpuRequest: '100m',
    memoryRequest: '192Mi',
    memoryLimit: '384Mi',
    env: {
      // The services the browser reaches through /api/<service>/... (apps/dashboard/src/config.ts).
      REGISTRY_URL: 'http://ecomlog-registry:3001',
      SITES_URL: 'http://ecomlog-sites:3002',
      PARCELS_URL: 'http://ecomlog-parcels:3003',
      FUNDS_URL: 'http://ecomlog-funds:3004',
      ANALYTICS_URL: 'http://ecomlog-analytics:3005',
      INDICATORS_TOPIC: 'analytics.indicators.v1',
      // Where the image puts apps/dashboard/public (deploy/docker/Dockerfile).
      DASHBOARD_STATIC_DIR: '/app/apps/dashboard/public',
    },
  },
];

export const serviceSpec = (name: ServiceName): ServiceSpec => {
  const spec = SERVICES.find((service) => service.name === name);
  if (!spec) throw new Error(`no service ${name} in SERVICES`);
  return spec;
};

export const COMMON_CONFIG_MAP = 'ecomlog-common';
export const DATA_CONFIG_MAP = 'ecomlog-data';

export const dbSecretName = (service: ServiceName): string => `ecomlog-${service}-db`;
/** The KafkaUser of an app, and the Secret (key `password`) Strimzi's User Operator makes for it. */
export const kafkaUserName = (service: ServiceName): string => servicePrincipalName(service);
export const resourceName = (service: ServiceName): string => `ecomlog-${service}`;

/**
 * Environment shared by every app (ConfigMap ecomlog-common). The addresses are the names this
 * deployment expects in its namespace: Strimzi's bootstrap Service of the `ecomlog` cluster and
 * the registry's Service (its token keys); override them in an overlay for another environment.
 */
export const COMMON_ENV: Readonly<Record<string, string>> = {
  HTTP_HOST: '0.0.0.0',
  LOG_LEVEL: 'info',
  KAFKA_BROKERS: `${KAFKA_CLUSTER}-kafka-bootstrap:${SCRAM_LISTENER.port}`,
  // Each app signs in as its KafkaUser svc-<name> (users.yaml); the password comes from the
  // Secret the User Operator creates for it.
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SESSION_TIMEOUT_MS: '30000',
  CONSUMER_GROUP_PREFIX: '',
  // Every app verifies tokens with the registry's public keys, reached through its Service.
  AUTH_JWKS_URL: 'http://ecomlog-registry:3001/.well-known/jwks.json',
};

/**
 * Environment shared by the apps that own data (ConfigMap ecomlog-data; not the dashboard):
 * the `postgres` and `redis` Services, the outbox relay and the consumers.
 */
export const DATA_ENV: Readonly<Record<string, string>> = {
  DB_HOST: 'postgres',
  DB_PORT: '5432',
  DB_POOL_SIZE: '10',
  REDIS_URL: 'redis://redis:6379/0',
  OUTBOX_POLL_MS: '250',
  CONSUMERS_ENABLED: 'true',
};

const YAML_OPTIONS: ToStringOptions = {
  // Matches the repository's prettier settings, so `prettier --check .` accepts the output.
  singleQuote: true,
  lineWidth: 0,
  indentSeq: true,
};

const GENERATED_HEADER = [
  ' Generated by tools/deploy/generate-manifests.ts - do not edit by hand. Regenerate with:',
  '   SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register tools/deploy/generate-manifests.ts',
];

interface ManifestDoc {
  readonly comment?: string[];
  readonly body: object;
}

function comment(lines: readonly string[]): string {
  return lines.map((line) => `#${line}`).join('\n');
}

function renderStream(header: readonly string[], docs: readonly ManifestDoc[]): string {
  const parts = docs.map(({ comment: lines, body }) => {
    // Shared label objects are written out in full: no YAML anchors in Kubernetes manifests.
    const text = new Document(body, { aliasDuplicateObjects: false }).toString(YAML_OPTIONS);
    return `---\n${lines ? `${comment(lines)}\n` : ''}${text}`;
  });
  return `${comment([...GENERATED_HEADER, ...header])}\n${parts.join('')}`;
}

function topicDocument(topic: TopicDeclaration): ManifestDoc {
  return {
    comment: [` ${topic.name}: ${topic.description}`, ` key: ${topic.key}`],
    body: {
      apiVersion: STRIMZI_API_VERSION,
      kind: 'KafkaTopic',
      metadata: {
        name: topic.name,
        labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'app.kubernetes.io/part-of': 'ecomlog' },
      },
      spec: {
        topicName: topic.name,
        partitions: topic.partitions,
        replicas: TOPIC_REPLICAS,
        config: {
          ...topicConfigEntries(topic),
          'min.insync.replicas': String(TOPIC_MIN_INSYNC_REPLICAS),
        },
      },
    },
  };
}

function renderTopics(): string {
  return renderStream(
    [
      ' Every topic declared in libs/contracts/src/topics.ts and its dead-letter topic, managed by',
      ` the Strimzi topic operator of the Kafka cluster "${KAFKA_CLUSTER}" (at least ${TOPIC_REPLICAS} brokers).`,
      ' Partitions can only grow: raise them in topics.ts and regenerate; never lower them.',
    ],
    allTopicDeclarations().map(topicDocument),
  );
}

/** A grant of libs/contracts kafka-access.ts as one rule of a Strimzi KafkaUser (simple authorization). */
export function strimziAclRule(grant: KafkaAclGrant): object {
  const resource =
    grant.resourceType === 'cluster'
      ? { type: 'cluster' }
      : { type: grant.resourceType, name: grant.resourceName, patternType: grant.patternType };
  return { resource, operations: [...grant.operations], host: '*' };
}

function kafkaUserDocument(service: ServiceSpec): ManifestDoc {
  const user = kafkaUserName(service.name);
  return {
    comment: [
      ` ${user}: the Kafka user of ${service.name}; ACLs = serviceAcls('${service.name}') of libs/contracts kafka-access.ts.`,
      ` The User Operator keeps its SCRAM-SHA-512 password in the Secret ${user} (key \`password\`).`,
    ],
    body: {
      apiVersion: STRIMZI_API_VERSION,
      kind: 'KafkaUser',
      metadata: {
        name: user,
        labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, ...labelsOf(service.name) },
      },
      spec: {
        authentication: { type: 'scram-sha-512' },
        authorization: { type: 'simple', acls: serviceAcls(service.name).map(strimziAclRule) },
      },
    },
  };
}

function renderUsers(): string {
  return renderStream(
    [
      ` One KafkaUser per app, managed by the User Operator of the Kafka cluster "${KAFKA_CLUSTER}".`,
      ' Their ACLs are derived from libs/contracts/src/topics.ts (readers) by kafka-access.ts: never',
      ' edit them here. Couriers and subscribers are no KafkaUsers: the registry grants their ACLs',
      ' at run time (the User Operator ignores those principals, see kafka-cluster.yaml).',
    ],
    SERVICES.map(kafkaUserDocument),
  );
}

/** The registry's public keys as the brokers fetch them (REGISTRY_KEYS_SERVICE). */
export function registryJwksUrl(): string {
  return `http://${REGISTRY_KEYS_SERVICE}:${serviceSpec('registry').port}/.well-known/jwks.json`;
}

/** listenerConfig of the OAUTHBEARER listener: Kafka's own JWT validator, as on the local stack. */
export function oauthListenerConfig(): Record<string, string | number> {
  return {
    'sasl.enabled.mechanisms': 'OAUTHBEARER',
    'oauthbearer.sasl.server.callback.handler.class':
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler',
    'oauthbearer.sasl.jaas.config':
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;',
    'oauthbearer.sasl.oauthbearer.jwks.endpoint.url': registryJwksUrl(),
    'oauthbearer.sasl.oauthbearer.expected.issuer': KAFKA_OAUTH_ISSUER,
    'oauthbearer.sasl.oauthbearer.expected.audience': KAFKA_OAUTH_AUDIENCE,
    // The principal is User:<sub>, the registry client id its ACLs name.
    'oauthbearer.sasl.oauthbearer.sub.claim.name': 'sub',
    // A connection signs in again before its token expires (or is refused), at most hourly.
    'oauthbearer.connections.max.reauth.ms': 3600000,
  };
}

function renderKafkaCluster(): string {
  const labels = { 'app.kubernetes.io/part-of': 'ecomlog' };
  return renderStream(
    [
      ` The Strimzi Kafka cluster "${KAFKA_CLUSTER}" (KRaft, ${KAFKA_BROKERS_PER_CLUSTER} nodes that are broker and controller).`,
      ' No listener accepts an unauthenticated client (see deploy/k8s/README.md, "Kafka security"):',
      `   ${SCRAM_LISTENER.name} (${SCRAM_LISTENER.port})  the platform's services, SCRAM-SHA-512 as their KafkaUsers (users.yaml)`,
      `   ${OAUTH_LISTENER.name} (${OAUTH_LISTENER.port})  couriers and indicator subscribers, OAUTHBEARER with registry tokens`,
      ` Authorization: ACLs only (StandardAuthorizer; nothing is allowed without an ACL).`,
    ],
    [
      {
        comment: [
          ' Storage and size of the nodes; adjust to your cluster (e.g. with a kustomize patch).',
        ],
        body: {
          apiVersion: STRIMZI_API_VERSION,
          kind: 'KafkaNodePool',
          metadata: {
            name: 'dual-role',
            labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, ...labels },
          },
          spec: {
            replicas: KAFKA_BROKERS_PER_CLUSTER,
            roles: ['controller', 'broker'],
            storage: {
              type: 'jbod',
              volumes: [
                {
                  id: 0,
                  type: 'persistent-claim',
                  size: '100Gi',
                  deleteClaim: false,
                  kraftMetadata: 'shared',
                },
              ],
            },
          },
        },
      },
      {
        body: {
          apiVersion: STRIMZI_API_VERSION,
          kind: 'Kafka',
          metadata: { name: KAFKA_CLUSTER, labels },
          spec: {
            kafka: {
              version: KAFKA_VERSION,
              listeners: [
                {
                  ...SCRAM_LISTENER,
                  type: 'internal',
                  tls: false,
                  authentication: { type: 'scram-sha-512' },
                },
                {
                  ...OAUTH_LISTENER,
                  type: 'internal',
                  tls: false,
                  // Strimzi's `type: oauth` is gone from the v1 API; `custom` configures Kafka's own
                  // validator. (Strimzi's OAuth library loads only RSA and EC keys, while the
                  // registry signs with Ed25519.)
                  authentication: {
                    type: 'custom',
                    sasl: true,
                    listenerConfig: oauthListenerConfig(),
                  },
                },
              ],
              // StandardAuthorizer with allow.everyone.if.no.acl.found=false. Strimzi adds its own
              // components (mTLS) as super users; the platform needs none of its own.
              authorization: { type: 'simple' },
              jvmOptions: {
                javaSystemProperties: [
                  // Kafka fetches OAuth URLs only when allowed (the default allows none).
                  {
                    name: 'org.apache.kafka.sasl.oauthbearer.allowed.urls',
                    value: registryJwksUrl(),
                  },
                ],
              },
              config: {
                'auto.create.topics.enable': false,
                'offsets.topic.replication.factor': TOPIC_REPLICAS,
                'transaction.state.log.replication.factor': TOPIC_REPLICAS,
                'transaction.state.log.min.isr': TOPIC_MIN_INSYNC_REPLICAS,
                'default.replication.factor': TOPIC_REPLICAS,
                'min.insync.replicas': TOPIC_MIN_INSYNC_REPLICAS,
              },
            },
            entityOperator: {
              topicOperator: {},
              userOperator: {},
              template: {
                userOperatorContainer: {
                  env: [
                    {
                      // The User Operator deletes the ACLs of principals without a KafkaUser;
                      // courier and subscriber ACLs belong to the registry.
                      name: 'STRIMZI_IGNORED_USERS_PATTERN',
                      value: USER_OPERATOR_IGNORED_USERS_PATTERN,
                    },
                  ],
                },
              },
            },
          },
        },
      },
    ],
  );
}

function labelsOf(service: ServiceName): Record<string, string> {
  return { 'app.kubernetes.io/name': service, 'app.kubernetes.io/part-of': 'ecomlog' };
}

function largestTopic(): TopicDeclaration {
  return allTopicDeclarations().reduce((max, topic) =>
    topic.partitions > max.partitions ? topic : max,
  );
}

function serviceDocuments(service: ServiceSpec, imageTag: string): ManifestDoc[] {
  const name = resourceName(service.name);
  const labels = labelsOf(service.name);
  const largest = largestTopic();
  if (service.consumerGroups === 'shared' && service.maxReplicas > largest.partitions) {
    throw new Error(
      `${service.name}: maxReplicas ${service.maxReplicas} exceeds the largest topic's ${largest.partitions} partitions (${largest.name}); the extra replicas could never consume`,
    );
  }
  const httpGet = (path: string): object => ({ path, port: 'http' });
  return [
    {
      comment: [` ----- ${service.name}: ${service.description}`],
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, labels },
        data: {
          SERVICE_NAME: service.name,
          HTTP_PORT: String(service.port),
          ...(service.database ? { DB_NAME: service.name, DB_USER: service.name } : {}),
          ...service.env,
        },
      },
    },
    {
      comment: [
        ' No `replicas`: the HorizontalPodAutoscaler below owns the replica count.',
        service.consumerGroups === 'shared'
          ? ` On SIGTERM the service stops consuming (the batch in hand commits) and closes its`
          : ` On SIGTERM the app ends its live streams, leaves its own consumer group and closes its`,
        ` connections; terminationGracePeriodSeconds leaves it ${TERMINATION_GRACE_PERIOD_SECONDS} s for that.`,
      ],
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: {
          revisionHistoryLimit: 5,
          selector: { matchLabels: labels },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: {
              labels,
              annotations: {
                'prometheus.io/scrape': 'true',
                'prometheus.io/port': String(service.port),
                'prometheus.io/path': '/metrics',
              },
            },
            spec: {
              terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
              automountServiceAccountToken: false,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: RUN_AS_USER,
                runAsGroup: RUN_AS_USER,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              containers: [
                {
                  name: service.name,
                  image: `ecomlog/${service.name}:${imageTag}`,
                  imagePullPolicy: 'IfNotPresent',
                  ports: [{ name: 'http', containerPort: service.port, protocol: 'TCP' }],
                  envFrom: [
                    { configMapRef: { name: COMMON_CONFIG_MAP } },
                    ...(service.database ? [{ configMapRef: { name: DATA_CONFIG_MAP } }] : []),
                    { configMapRef: { name } },
                  ],
                  env: [
                    ...(service.database
                      ? [
                          {
                            name: 'DB_PASSWORD',
                            valueFrom: {
                              secretKeyRef: { name: dbSecretName(service.name), key: 'password' },
                            },
                          },
                        ]
                      : []),
                    // Its KafkaUser and the password in the Secret the User Operator created for it.
                    { name: 'KAFKA_USERNAME', value: kafkaUserName(service.name) },
                    {
                      name: 'KAFKA_PASSWORD',
                      valueFrom: {
                        secretKeyRef: { name: kafkaUserName(service.name), key: 'password' },
                      },
                    },
                  ],
                  // Start-up (migrations, first connections) may take a while; liveness waits.
                  startupProbe: {
                    httpGet: httpGet('/health'),
                    periodSeconds: 2,
                    failureThreshold: 60,
                  },
                  livenessProbe: {
                    httpGet: httpGet('/health'),
                    periodSeconds: 10,
                    timeoutSeconds: 3,
                    failureThreshold: 3,
                  },
                  // 503 while a dependency is unreachable (Kafka, and PostgreSQL and Redis for the
                  // apps that own data; the dashboard also its live feed): no traffic, no restart.
                  readinessProbe: {
                    httpGet: httpGet('/ready'),
                    periodSeconds: 10,
                    timeoutSeconds: 6,
                    failureThreshold: 3,
                  },
                  // Lets the endpoints controller take the pod out of the Service before SIGTERM.
                  lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
                  resources: {
                    requests: { cpu: service.cpuRequest, memory: service.memoryRequest },
                    limits: { memory: service.memoryLimit },
                  },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ['ALL'] },
                  },
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [{ name: 'tmp', emptyDir: {} }],
            },
          },
        },
      },
    },
    {
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, labels },
        spec: {
          type: 'ClusterIP',
          selector: labels,
          ports: [{ name: 'http', port: service.port, targetPort: 'http', protocol: 'TCP' }],
        },
      },
    },
    ...(service.name === 'registry'
      ? [
          {
            comment: [
              ' The Kafka brokers fetch the public keys of registry tokens (OAUTHBEARER) here. A broker',
              ' does not start while its JWKS endpoint is unreachable, and a registry is not ready while',
              ' Kafka is down: this Service also routes to pods that are alive but not ready.',
            ],
            body: {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: REGISTRY_KEYS_SERVICE, labels },
              spec: {
                type: 'ClusterIP',
                publishNotReadyAddresses: true,
                selector: labels,
                ports: [{ name: 'http', port: service.port, targetPort: 'http', protocol: 'TCP' }],
              },
            },
          },
        ]
      : []),
    {
      comment:
        service.consumerGroups === 'shared'
          ? [
              ' Consumer parallelism is bounded by partitions: a consumer group gives each partition to',
              ' one instance, so replicas beyond a topic partition count get no partitions of that topic',
              ` (the largest topic, ${largest.name}, has ${largest.partitions}); they still serve HTTP.`,
              ' Raise the partitions in libs/contracts/src/topics.ts before raising maxReplicas past them.',
              ' Every scale event rebalances the consumer groups, hence the slow scale-down.',
            ]
          : [
              ' Live-view consumers, not bounded by partitions: every process reads the topic with a',
              ' consumer group of its own from the latest offsets (no shared group, no commits), so',
              ' every replica receives every partition and serves its own browsers; replicas are',
              ' limited by CPU and open streams, not by partition counts. A scale-down closes the',
              " removed pods' live streams; the page reconnects to another replica.",
            ],
      body: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: service.minReplicas,
          maxReplicas: service.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
            },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      },
    },
    {
      body: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      },
    },
  ];
}

function renderServices(imageTag: string): string {
  return renderStream(
    [
      ` The ${SERVICES.length} apps: ${SERVICES.map((s) => s.name).join(', ')}.`,
      ' Create for each app with a database a Secret ecomlog-<service>-db with the key `password`',
      ` (${SERVICES.filter((s) => s.database)
        .map((s) => s.name)
        .join(', ')}; its database user is the service name)`,
      ' before applying; no secret is kept here. The Kafka passwords are in the Secrets svc-<app>',
      " that Strimzi's User Operator creates for the KafkaUsers of users.yaml.",
    ],
    [
      {
        comment: [
          ' Environment shared by every app (libs/config/src/service-env.ts, apps/dashboard/src/config.ts).',
          ' Adjust the addresses to your cluster (e.g. with a kustomize patch).',
        ],
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: COMMON_CONFIG_MAP, labels: { 'app.kubernetes.io/part-of': 'ecomlog' } },
          data: COMMON_ENV,
        },
      },
      {
        comment: [
          ' Environment shared by the apps that own data (PostgreSQL, Redis, outbox, consumers);',
          ' the dashboard does not read it.',
        ],
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: DATA_CONFIG_MAP, labels: { 'app.kubernetes.io/part-of': 'ecomlog' } },
          data: DATA_ENV,
        },
      },
      ...SERVICES.flatMap((service) => serviceDocuments(service, imageTag)),
    ],
  );
}

interface PackageJson {
  readonly version: string;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  return pkg.version;
}

/** The generated files (deploy/k8s and the compose stack's Kafka set-up), keyed by their path relative to the repository root. */
export function renderManifests(imageTag: string = packageVersion()): Record<string, string> {
  return {
    [`${MANIFEST_DIR}/kafka-cluster.yaml`]: renderKafkaCluster(),
    [`${MANIFEST_DIR}/topics.yaml`]: renderTopics(),
    [`${MANIFEST_DIR}/users.yaml`]: renderUsers(),
    [`${MANIFEST_DIR}/services.yaml`]: renderServices(imageTag),
    [COMPOSE_KAFKA_INIT_SCRIPT]: renderComposeKafkaInit(),
  };
}

/** Paths (relative to the repository root) whose committed content differs from `expected`. */
export function staleManifests(expected: Record<string, string> = renderManifests()): string[] {
  return Object.entries(expected)
    .filter(([path, content]) => {
      const file = join(REPO_ROOT, path);
      return !existsSync(file) || readFileSync(file, 'utf8') !== content;
    })
    .map(([path]) => path);
}

function main(argv: readonly string[]): number {
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(
      `unknown argument(s): ${unknown.join(' ')}; usage: generate-manifests.ts [--check]`,
    );
    return 2;
  }
  const manifests = renderManifests();
  if (argv.includes('--check')) {
    const stale = staleManifests(manifests);
    if (stale.length > 0) {
      console.error(
        `${stale.join(', ')} ${stale.length === 1 ? 'is' : 'are'} not what tools/deploy/generate-manifests.ts generates (a topic, service or the generator changed). Regenerate and commit: SWC_NODE_PROJECT=tools/tsconfig.json node -r @swc-node/register tools/deploy/generate-manifests.ts`,
      );
      return 1;
    }
    console.log(`${Object.keys(manifests).join(', ')} are up to date`);
    return 0;
  }
  for (const [path, content] of Object.entries(manifests)) {
    mkdirSync(dirname(join(REPO_ROOT, path)), { recursive: true });
    writeFileSync(join(REPO_ROOT, path), content);
    console.log(`wrote ${path}`);
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
