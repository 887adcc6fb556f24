/**
 * The committed Kubernetes manifests are exactly what tools/deploy/generate-manifests.ts makes of
 * the topic declaration and the service table, and that table agrees with the services' own
 * configuration defaults.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { allTopicDeclarations, topicConfigEntries } from '@ecomlog/contracts';
import {
  COMMON_CONFIG_MAP,
  DATA_CONFIG_MAP,
  DATA_ENV,
  KAFKA_CLUSTER,
  MANIFEST_DIR,
  REPO_ROOT,
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
    expect(Object.keys(expected).sort()).toEqual([
      `${MANIFEST_DIR}/services.yaml`,
      `${MANIFEST_DIR}/topics.yaml`,
    ]);
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

    it.each(allTopicDeclarations().map((t) => [t.name, t] as const))(
      '%s has its partitions and configuration, replicated 3 times with min ISR 2',
      (name, declaration) => {
        const topic = find<KafkaTopic>(topics, 'KafkaTopic', name);
        expect(topic.apiVersion).toBe('kafka.strimzi.io/v1beta2');
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
          ]);
        } else {
          // No DB_* variables, no Secret: neither the data ConfigMap nor a password.
          expect(container.envFrom.map((source) => source.configMapRef?.name)).toEqual([
            COMMON_CONFIG_MAP,
            resourceName,
          ]);
          expect(container.env).toBeUndefined();
          expect(JSON.stringify(deployment)).not.toContain('secretKeyRef');
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
});
