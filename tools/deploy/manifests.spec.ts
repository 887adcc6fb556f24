/**
 * The committed Kubernetes manifests are exactly what tools/deploy/generate-manifests.ts makes of
 * the topic declaration and the service table, and that table agrees with the services' own
 * configuration defaults.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  allTopicDeclarations,
  PLATFORM_SERVICES,
  serviceAcls,
  servicePrincipalName,
  topicConfigEntries,
  type KafkaAclGrant,
} from '@ecomlog/contracts';
import { COMPOSE_KAFKA_INIT_SCRIPT } from './compose-kafka-init';
import {
  COMMON_CONFIG_MAP,
  DATA_CONFIG_MAP,
  DATA_ENV,
  KAFKA_CLUSTER,
  MANIFEST_DIR,
  OAUTH_LISTENER,
  REGISTRY_KEYS_SERVICE,
  REPO_ROOT,
  SCRAM_LISTENER,
  SERVICES,
  TERMINATION_GRACE_PERIOD_SECONDS,
  dbSecretName,
  renderManifests,
  staleManifests,
} from './generate-manifests';

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface KafkaTopic extends Resource {
  spec: {
    topicName: string;
    partitions: number;
    replicas: number;
    config: Record<string, string>;
  };
}

interface StrimziAclRule {
  resource: { type: 'topic' | 'group' | 'cluster'; name?: string; patternType?: string };
  operations: string[];
  host?: string;
}

interface KafkaUser extends Resource {
  spec: {
    authentication: { type: string };
    authorization: { type: string; acls: StrimziAclRule[] };
  };
}

interface Listener {
  name: string;
  port: number;
  type: string;
  tls: boolean;
  authentication?: { type: string; sasl?: boolean; listenerConfig?: Record<string, unknown> };
}

interface KafkaCluster extends Resource {
  spec: {
    kafka: {
      version: string;
      listeners: Listener[];
      authorization?: { type: string; superUsers?: string[] };
      jvmOptions?: { javaSystemProperties?: { name: string; value: string }[] };
      config: Record<string, unknown>;
    };
    entityOperator: {
      topicOperator?: object;
      userOperator?: object;
      template?: { userOperatorContainer?: { env?: { name: string; value: string }[] } };
    };
  };
}

/** A Strimzi ACL rule read back as the grant of libs/contracts kafka-access.ts it stands for. */
function grantOf(principal: string, rule: StrimziAclRule): KafkaAclGrant {
  return {
    principal,
    resourceType: rule.resource.type,
    resourceName: rule.resource.type === 'cluster' ? 'kafka-cluster' : (rule.resource.name ?? ''),
    patternType: (rule.resource.patternType ?? 'literal') as KafkaAclGrant['patternType'],
    operations: rule.operations as KafkaAclGrant['operations'],
  };
}

interface Probe {
  httpGet: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  envFrom: { configMapRef?: { name: string } }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string } };
  }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe?: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}

interface Deployment extends Resource {
  spec: {
    replicas?: number;
    template: {
      spec: { terminationGracePeriodSeconds: number; containers: Container[] };
    };
  };
}

interface Hpa extends Resource {
  spec: {
    scaleTargetRef: { kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
  };
}

const committed = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

function resources(path: string): Resource[] {
  return parseAllDocuments(committed(path))
    .map((doc) => doc.toJS() as Resource | null)
    .filter((resource): resource is Resource => resource !== null);
}

function find<T extends Resource>(all: Resource[], kind: string, name: string): T {
  const matches = all.filter((r) => r.kind === kind && r.metadata.name === name);
  if (matches.length !== 1)
    throw new Error(`expected one ${kind} ${name}, found ${matches.length}`);
  return matches[0] as T;
}

describe('deploy/k8s', () => {
  it('holds exactly what the generator produces (regenerate with tools/deploy/generate-manifests.ts)', () => {
    const expected = renderManifests();
    expect(Object.keys(expected).sort()).toEqual(
      [
        COMPOSE_KAFKA_INIT_SCRIPT,
        `${MANIFEST_DIR}/kafka-cluster.yaml`,
        `${MANIFEST_DIR}/services.yaml`,
        `${MANIFEST_DIR}/topics.yaml`,
        `${MANIFEST_DIR}/users.yaml`,
      ].sort(),
    );
    for (const [path, content] of Object.entries(expected)) {
      expect({ path, content: committed(path) }).toEqual({ path, content });
    }
    expect(staleManifests(expected)).toEqual([]);
  });

  it('renders the same output every time', () => {
    expect(renderManifests('1.2.3')).toEqual(renderManifests('1.2.3'));
  });

  describe('topics.yaml', () => {
    const topics = resources(`${MANIFEST_DIR}/topics.yaml`) as KafkaTopic[];

    it('declares every topic, dead-letter topics included, exactly once', () => {
      const declared = allTopicDeclarations().map((t) => t.name);
      expect(declared.some((name) => name.endsWith('.dlq'))).toBe(true);
      expect(topics.map((t) => t.spec.topicName).sort()).toEqual([...declared].sort());
      expect(new Set(topics.map((t) => t.metadata.name)).size).toBe(topics.length);
    });

    it("declares every carrier's scan door and its dead-letter topic", () => {
      const names = topics.map((t) => t.spec.topicName);
      for (const door of allTopicDeclarations().filter((t) => t.carrier !== undefined)) {
        expect(names).toContain(door.name);
        expect(names).toContain(`${door.name}.dlq`);
      }
    });

    it.each(allTopicDeclarations().map((t) => [t.name, t] as const))(
      '%s has its partitions and configuration, replicated 3 times with min ISR 2',
      (name, declaration) => {
        const topic = find<KafkaTopic>(topics, 'KafkaTopic', name);
        // Strimzi 1.0 removed v1beta2; v1 is the only served version.
        expect(topic.apiVersion).toBe('kafka.strimzi.io/v1');
        expect(topic.metadata.labels?.['strimzi.io/cluster']).toBe(KAFKA_CLUSTER);
        expect(topic.spec).toEqual({
          topicName: name,
          partitions: declaration.partitions,
          replicas: 3,
          config: { ...topicConfigEntries(declaration), 'min.insync.replicas': '2' },
        });
      },
    );
  });

  describe('services.yaml', () => {
    const all = resources(`${MANIFEST_DIR}/services.yaml`);

    it('covers every app and keeps no secret', () => {
      const apps = readdirSync(join(REPO_ROOT, 'apps'), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
      expect(SERVICES.map((s) => s.name).sort()).toEqual(apps.sort());
      expect(all.filter((r) => r.kind === 'Secret')).toEqual([]);
    });

    describe.each(SERVICES.map((s) => [s.name, s] as const))('%s', (name, spec) => {
      const resourceName = `ecomlog-${name}`;

      it("uses the port (and database, if it has one) of the app's configuration defaults", () => {
        const config = committed(`apps/${name}/src/config.ts`);
        expect(config).toMatch(new RegExp(`HTTP_PORT: number = ${spec.port};`));
        const configMap = find(all, 'ConfigMap', resourceName);
        expect(configMap.data).toMatchObject({ SERVICE_NAME: name, HTTP_PORT: String(spec.port) });
        if (spec.database) {
          expect(config).toMatch(new RegExp(`DB_NAME: string = '${name}';`));
          expect(configMap.data).toMatchObject({ DB_NAME: name, DB_USER: name });
        } else {
          expect(config).not.toMatch(/DB_NAME/);
          expect(Object.keys(configMap.data ?? {}).filter((key) => key.startsWith('DB_'))).toEqual(
            [],
          );
        }
      });

      it('sets only variables its configuration declares', () => {
        // A misspelt variable would be silently ignored and leave the default (127.0.0.1) in place.
        const config = committed(`apps/${name}/src/config.ts`);
        const data = find(all, 'ConfigMap', resourceName).data ?? {};
        const declared = (variable: string): boolean =>
          new RegExp(`^\\s*${variable}[?!]?: `, 'm').test(config);
        for (const variable of Object.keys(data).filter(
          (v) => !['SERVICE_NAME', 'HTTP_PORT', 'DB_NAME', 'DB_USER'].includes(v),
        )) {
          expect({ variable, declared: declared(variable) }).toEqual({ variable, declared: true });
        }
      });

      it(`runs with probes, resources, ${spec.database ? 'a database secret' : 'no database'} and time to shut down`, () => {
        const deployment = find<Deployment>(all, 'Deployment', resourceName);
        expect(deployment.spec.replicas).toBeUndefined();
        const pod = deployment.spec.template.spec;
        expect(pod.terminationGracePeriodSeconds).toBe(TERMINATION_GRACE_PERIOD_SECONDS);
        expect(pod.containers).toHaveLength(1);
        const [container] = pod.containers;
        expect(container.ports).toEqual([
          expect.objectContaining({ name: 'http', containerPort: spec.port }),
        ]);
        expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
        expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
        expect(container.resources.requests).toEqual({
          cpu: expect.any(String),
          memory: expect.any(String),
        });
        expect(container.resources.limits.memory).toEqual(expect.any(String));
        const kafkaEnv = [
          { name: 'KAFKA_USERNAME', value: servicePrincipalName(name) },
          {
            name: 'KAFKA_PASSWORD',
            valueFrom: { secretKeyRef: { name: servicePrincipalName(name), key: 'password' } },
          },
        ];
        if (spec.database) {
          expect(container.envFrom.map((source) => source.configMapRef?.name)).toEqual([
            COMMON_CONFIG_MAP,
            DATA_CONFIG_MAP,
            resourceName,
          ]);
          expect(container.env).toEqual([
            {
              name: 'DB_PASSWORD',
              valueFrom: { secretKeyRef: { name: dbSecretName(name), key: 'password' } },
            },
            ...kafkaEnv,
          ]);
        } else {
          // No DB_* variables and no database Secret: only its Kafka credentials.
          expect(container.envFrom.map((source) => source.configMapRef?.name)).toEqual([
            COMMON_CONFIG_MAP,
            resourceName,
          ]);
          expect(container.env).toEqual(kafkaEnv);
        }
      });

      it('is reachable through a Service and scaled by an HPA within the partition count', () => {
        const service = find(all, 'Service', resourceName);
        expect(service.spec).toMatchObject({ ports: [{ port: spec.port, targetPort: 'http' }] });
        const hpa = find<Hpa>(all, 'HorizontalPodAutoscaler', resourceName);
        expect(hpa.apiVersion).toBe('autoscaling/v2');
        expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: resourceName });
        const maxPartitions = Math.max(...allTopicDeclarations().map((t) => t.partitions));
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
        expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
        // Replicas beyond the partitions only idle when they share a consumer group.
        if (spec.consumerGroups === 'shared') {
          expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(maxPartitions);
        }
        const pdb = find(all, 'PodDisruptionBudget', resourceName);
        expect(pdb.spec).toMatchObject({ maxUnavailable: 1 });
      });
    });

    it.each(SERVICES.map((s) => [s.name] as const))(
      '%s signs in to Kafka with SCRAM-SHA-512 as its KafkaUser, password from the Secret of that user',
      (name) => {
        const users = resources(`${MANIFEST_DIR}/users.yaml`);
        const user = find<KafkaUser>(users, 'KafkaUser', servicePrincipalName(name));
        expect(user.spec.authentication.type).toBe('scram-sha-512');
        const container = find<Deployment>(all, 'Deployment', `ecomlog-${name}`).spec.template.spec
          .containers[0];
        // Strimzi's User Operator names the Secret after the user, the password under `password`.
        expect(container.env?.find((e) => e.name === 'KAFKA_PASSWORD')?.valueFrom).toEqual({
          secretKeyRef: { name: user.metadata.name, key: 'password' },
        });
        expect(container.env?.find((e) => e.name === 'KAFKA_USERNAME')?.value).toBe(
          user.metadata.name,
        );
        const common = find(all, 'ConfigMap', COMMON_CONFIG_MAP).data ?? {};
        expect(common.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
        expect(common.KAFKA_BROKERS).toBe(
          `${KAFKA_CLUSTER}-kafka-bootstrap:${SCRAM_LISTENER.port}`,
        );
        // No app sets its Kafka credentials anywhere else.
        expect(find(all, 'ConfigMap', `ecomlog-${name}`).data).not.toHaveProperty('KAFKA_PASSWORD');
      },
    );

    it("serves the registry's keys to the brokers also from registry pods that are not ready", () => {
      const keys = find(all, 'Service', REGISTRY_KEYS_SERVICE);
      const registry = find(all, 'Service', 'ecomlog-registry');
      expect(keys.spec).toMatchObject({
        publishNotReadyAddresses: true,
        selector: registry.spec?.selector,
        ports: [{ port: SERVICES.find((s) => s.name === 'registry')?.port, targetPort: 'http' }],
      });
    });

    it('says next to each HPA what bounds its consumers', () => {
      const text = committed(`${MANIFEST_DIR}/services.yaml`);
      const notes = text.match(/# Consumer parallelism is bounded by partitions/g) ?? [];
      expect(notes).toHaveLength(SERVICES.filter((s) => s.consumerGroups === 'shared').length);
      const liveNotes = text.match(/# Live-view consumers, not bounded by partitions/g) ?? [];
      expect(liveNotes).toHaveLength(
        SERVICES.filter((s) => s.consumerGroups === 'per-process').length,
      );
    });

    it('gives database settings only to the apps that own data', () => {
      const common = find(all, 'ConfigMap', COMMON_CONFIG_MAP).data ?? {};
      expect(Object.keys(common).filter((key) => key.startsWith('DB_'))).toEqual([]);
      expect(common).not.toHaveProperty('REDIS_URL');
      expect(find(all, 'ConfigMap', DATA_CONFIG_MAP).data).toEqual(DATA_ENV);
      expect(SERVICES.filter((s) => !s.database).map((s) => s.name)).toEqual(['dashboard']);
    });

    it('verifies tokens with the keys of the in-cluster registry', () => {
      const common = find(all, 'ConfigMap', COMMON_CONFIG_MAP).data ?? {};
      const registry = SERVICES.find((s) => s.name === 'registry');
      expect(common.AUTH_JWKS_URL).toBe(
        `http://ecomlog-registry:${registry?.port}/.well-known/jwks.json`,
      );
    });

    describe('dashboard', () => {
      const config = committed('apps/dashboard/src/config.ts');
      const data = find(all, 'ConfigMap', 'ecomlog-dashboard').data ?? {};

      it.each(SERVICES.filter((s) => s.database).map((s) => [s.name, s] as const))(
        'proxies /api/%s/* to its in-cluster Service',
        (name, target) => {
          const variable = `${name.toUpperCase()}_URL`;
          expect(config).toMatch(new RegExp(`^\\s*${variable}: string = `, 'm'));
          expect(data[variable]).toBe(`http://ecomlog-${name}:${target.port}`);
          const service = find(all, 'Service', `ecomlog-${name}`);
          expect(service.spec).toMatchObject({ ports: [{ port: target.port }] });
        },
      );

      it('reads the indicator topic and serves the page from where the image puts it', () => {
        expect(allTopicDeclarations().map((t) => t.name)).toContain(data.INDICATORS_TOPIC);
        expect(data.DASHBOARD_STATIC_DIR).toBe('/app/apps/dashboard/public');
        expect(committed('deploy/docker/Dockerfile')).toContain(
          'COPY --from=build /app/apps/dashboard/public ./apps/dashboard/public',
        );
      });
    });
  });

  describe('users.yaml', () => {
    const users = resources(`${MANIFEST_DIR}/users.yaml`) as KafkaUser[];

    it('holds one KafkaUser per platform service and nothing else', () => {
      expect(users.map((u) => u.kind)).toEqual(users.map(() => 'KafkaUser'));
      expect(users.map((u) => u.metadata.name).sort()).toEqual(
        PLATFORM_SERVICES.map(servicePrincipalName).sort(),
      );
      expect(SERVICES.map((s) => s.name).sort()).toEqual([...PLATFORM_SERVICES].sort());
    });

    it.each(PLATFORM_SERVICES.map((service) => [service] as const))(
      "svc-%s has exactly the ACLs of serviceAcls() in Strimzi's format",
      (service) => {
        const user = find<KafkaUser>(users, 'KafkaUser', servicePrincipalName(service));
        expect(user.apiVersion).toBe('kafka.strimzi.io/v1');
        expect(user.metadata.labels?.['strimzi.io/cluster']).toBe(KAFKA_CLUSTER);
        expect(user.spec.authentication).toEqual({ type: 'scram-sha-512' });
        expect(user.spec.authorization.type).toBe('simple');
        const principal = `User:${user.metadata.name}`;
        expect(user.spec.authorization.acls.map((rule) => grantOf(principal, rule))).toEqual(
          serviceAcls(service),
        );
        for (const rule of user.spec.authorization.acls) {
          if (rule.resource.type === 'cluster') {
            expect(rule.resource).toEqual({ type: 'cluster' });
          } else {
            expect(['literal', 'prefixed']).toContain(rule.resource.patternType);
          }
        }
      },
    );
  });

  describe('kafka-cluster.yaml', () => {
    const all = resources(`${MANIFEST_DIR}/kafka-cluster.yaml`);
    const kafka = find<KafkaCluster>(all, 'Kafka', KAFKA_CLUSTER);
    const listener = (name: string): Listener => {
      const found = kafka.spec.kafka.listeners.find((l) => l.name === name);
      if (!found) throw new Error(`no listener ${name}`);
      return found;
    };
    const registryConfig = committed('apps/registry/src/config.ts');
    const serviceEnv = committed('libs/config/src/service-env.ts');

    it('is a KRaft cluster of the v1 API with a node pool of brokers and controllers', () => {
      expect(kafka.apiVersion).toBe('kafka.strimzi.io/v1');
      const pools = all.filter((r) => r.kind === 'KafkaNodePool');
      expect(pools.length).toBeGreaterThan(0);
      for (const pool of pools) {
        expect(pool.apiVersion).toBe('kafka.strimzi.io/v1');
        expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe(KAFKA_CLUSTER);
      }
      const roles = pools.flatMap((pool) => (pool.spec?.roles as string[] | undefined) ?? []);
      expect(new Set(roles)).toEqual(new Set(['broker', 'controller']));
      expect(kafka.spec.kafka.config['auto.create.topics.enable']).toBe(false);
    });

    it('authenticates every listener', () => {
      for (const l of kafka.spec.kafka.listeners) {
        expect({ listener: l.name, authentication: l.authentication?.type }).toEqual({
          listener: l.name,
          authentication: expect.any(String),
        });
      }
      expect(listener(SCRAM_LISTENER.name)).toMatchObject({
        port: SCRAM_LISTENER.port,
        authentication: { type: 'scram-sha-512' },
      });
    });

    it("validates courier and subscriber tokens against the registry's keys, issuer and Kafka audience", () => {
      const oauth = listener(OAUTH_LISTENER.name);
      expect(oauth.port).toBe(OAUTH_LISTENER.port);
      expect(oauth.authentication).toMatchObject({ type: 'custom', sasl: true });
      const config = oauth.authentication?.listenerConfig ?? {};
      expect(config['sasl.enabled.mechanisms']).toBe('OAUTHBEARER');
      expect(config['oauthbearer.sasl.server.callback.handler.class']).toBe(
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler',
      );
      const jwks = new URL(String(config['oauthbearer.sasl.oauthbearer.jwks.endpoint.url']));
      expect(jwks.pathname).toBe('/.well-known/jwks.json');
      expect(jwks.host).toBe(
        `${REGISTRY_KEYS_SERVICE}:${SERVICES.find((s) => s.name === 'registry')?.port}`,
      );
      // The registry's issuer (AUTH_ISSUER) and the audience it adds to machine tokens.
      const issuer = /AUTH_ISSUER: string = '([^']+)'/.exec(serviceEnv)?.[1];
      const audience = /KAFKA_TOKEN_AUDIENCE: string = '([^']+)'/.exec(registryConfig)?.[1];
      expect(config['oauthbearer.sasl.oauthbearer.expected.issuer']).toBe(issuer);
      expect(config['oauthbearer.sasl.oauthbearer.expected.audience']).toBe(audience);
      expect(config['oauthbearer.sasl.oauthbearer.sub.claim.name']).toBe('sub');
      // Kafka reads an OAuth URL only when this system property allows it.
      expect(kafka.spec.kafka.jvmOptions?.javaSystemProperties).toContainEqual({
        name: 'org.apache.kafka.sasl.oauthbearer.allowed.urls',
        value: jwks.toString(),
      });
    });

    it("authorizes with ACLs and leaves the registry's client ACLs to the registry", () => {
      expect(kafka.spec.kafka.authorization?.type).toBe('simple');
      expect(kafka.spec.entityOperator.userOperator).toBeDefined();
      const ignored = kafka.spec.entityOperator.template?.userOperatorContainer?.env?.find(
        (e) => e.name === 'STRIMZI_IGNORED_USERS_PATTERN',
      );
      const pattern = new RegExp(ignored?.value ?? '^$');
      for (const service of PLATFORM_SERVICES) {
        expect(pattern.test(servicePrincipalName(service))).toBe(false);
      }
      for (const client of ['courier-3f1c0a52-0e5b-4a4e-9d0e-1a2b3c4d5e6f', 'subscriber-1']) {
        expect(pattern.test(client)).toBe(true);
      }
    });
  });
});
