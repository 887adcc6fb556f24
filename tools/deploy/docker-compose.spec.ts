/**
 * docker-compose.yml and the image it builds, checked by parsing (no Docker engine needed): the
 * services find Kafka, PostgreSQL and Redis under the compose names, wait for them and for the
 * topics, publish on 127.0.0.1 only, and use databases the init script creates; the dashboard
 * (no database) reaches the five services by their compose names and starts after them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, SERVICES } from './generate-manifests';

type EnvValue = string | number | boolean | null;

interface ComposeBuild {
  context: string;
  dockerfile: string;
  args?: Record<string, string>;
}

interface ComposeHealthcheck {
  test?: string | string[];
  disable?: boolean;
}

interface ComposeService {
  image?: string;
  build?: ComposeBuild;
  command?: string[];
  environment?: Record<string, EnvValue>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: ComposeHealthcheck;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const INFRASTRUCTURE = ['kafka', 'postgres', 'redis'] as const;
const WITH_DATABASE = SERVICES.filter((s) => s.database);
const WITHOUT_DATABASE = SERVICES.filter((s) => !s.database);

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

// Merge keys (`<<: *service`) are part of the compose format.
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;

/** Compose's `${VAR:-default}` interpolation with no variable set (the defaults); `$$` is `$`. */
function withDefaults(value: string): string {
  return value
    .replace(
      /\$\{(\w+)(?::?-([^}]*))?\}/g,
      (_match, _name: string, fallback?: string) => fallback ?? '',
    )
    .replace(/\$\$/g, '$');
}

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function env(name: string, variable: string): string {
  const value = service(name).environment?.[variable];
  if (value === undefined || value === null) {
    throw new Error(`service ${name} does not set ${variable}`);
  }
  return withDefaults(String(value));
}

function healthcheckText(name: string): string {
  const test = service(name).healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

/** host:port pairs of a Kafka listener list such as `PLAINTEXT://kafka:9092,CONTROLLER://:9093`. */
function listeners(value: string): Map<string, { host: string; port: number }> {
  return new Map(
    value.split(',').map((entry) => {
      const match = /^(\w+):\/\/([^:]*):(\d+)$/.exec(entry.trim());
      if (!match) throw new Error(`not a listener: ${entry}`);
      return [match[1], { host: match[2], port: Number(match[3]) }];
    }),
  );
}

describe('docker-compose.yml', () => {
  it('declares the infrastructure, the topic set-up, the five services and the dashboard', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [...INFRASTRUCTURE, 'topics', ...SERVICES.map((s) => s.name)].sort(),
    );
  });

  describe.each(SERVICES.map((s) => [s.name, s] as const))('service %s', (name, spec) => {
    it('is built from deploy/docker/Dockerfile for itself', () => {
      expect(service(name).build).toEqual({
        context: '.',
        dockerfile: 'deploy/docker/Dockerfile',
        args: { SERVICE: name },
      });
    });

    it('listens on its port on all interfaces and publishes it on 127.0.0.1 only', () => {
      expect(env(name, 'HTTP_HOST')).toBe('0.0.0.0');
      expect(env(name, 'HTTP_PORT')).toBe(String(spec.port));
      const ports = service(name).ports ?? [];
      expect(ports.map(withDefaults)).toEqual([`127.0.0.1:${spec.port}:${spec.port}`]);
      expect(ports[0]).toBe(`127.0.0.1:\${${name.toUpperCase()}_PORT:-${spec.port}}:${spec.port}`);
    });

    it('reports healthy only when /ready answers', () => {
      expect(healthcheckText(name)).toContain('/ready');
      expect(healthcheckText(name)).toContain('process.env.HTTP_PORT');
    });

    it("verifies tokens with the registry's keys", () => {
      const registry = SERVICES.find((s) => s.name === 'registry');
      expect(env(name, 'AUTH_JWKS_URL')).toBe(
        `http://registry:${registry?.port}/.well-known/jwks.json`,
      );
    });
  });

  describe.each(WITH_DATABASE.map((s) => [s.name, s] as const))('service %s', (name) => {
    it('starts once Kafka, PostgreSQL and Redis are healthy and the topics exist', () => {
      expect(service(name).depends_on).toEqual({
        kafka: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        topics: { condition: 'service_completed_successfully' },
      });
    });

    it('reaches Kafka, PostgreSQL and Redis by their compose service names', () => {
      const brokers = env(name, 'KAFKA_BROKERS').split(',');
      expect(brokers.length).toBeGreaterThan(0);
      for (const broker of brokers) {
        expect(compose.services).toHaveProperty([broker.split(':')[0]]);
      }
      expect(brokers.every((broker) => broker.startsWith('kafka:'))).toBe(true);
      expect(env(name, 'DB_HOST')).toBe('postgres');
      expect(env(name, 'DB_PORT')).toBe('5432');
      expect(new URL(env(name, 'REDIS_URL')).host).toBe('redis:6379');
    });

    it('logs in to PostgreSQL as the user the postgres service creates', () => {
      expect(env(name, 'DB_USER')).toBe(env('postgres', 'POSTGRES_USER'));
      expect(env(name, 'DB_PASSWORD')).toBe(env('postgres', 'POSTGRES_PASSWORD'));
    });
  });

  describe.each(WITHOUT_DATABASE.map((s) => [s.name, s] as const))('%s (no database)', (name) => {
    it('starts once Kafka is healthy, the topics exist and every service is healthy', () => {
      expect(service(name).depends_on).toEqual({
        kafka: { condition: 'service_healthy' },
        topics: { condition: 'service_completed_successfully' },
        ...Object.fromEntries(
          WITH_DATABASE.map((s) => [s.name, { condition: 'service_healthy' }] as const),
        ),
      });
    });

    it('has no database or Redis settings', () => {
      const variables = Object.keys(service(name).environment ?? {});
      expect(variables.filter((v) => v.startsWith('DB_') || v === 'REDIS_URL')).toEqual([]);
      expect(env(name, 'KAFKA_BROKERS')).toBe('kafka:9092');
    });

    it.each(WITH_DATABASE.map((s) => [s.name, s] as const))(
      'reaches %s by its compose name and port',
      (target, targetSpec) => {
        const url = new URL(env(name, `${target.toUpperCase()}_URL`));
        expect(url.host).toBe(`${target}:${targetSpec.port}`);
        expect(env(target, 'HTTP_PORT')).toBe(String(targetSpec.port));
        expect(read(`apps/${name}/src/config.ts`)).toMatch(
          new RegExp(`^\\s*${target.toUpperCase()}_URL: string = `, 'm'),
        );
      },
    );
  });

  describe('kafka', () => {
    const kafkaEnv = (variable: string): string => env('kafka', variable);

    it('runs one KRaft node that is broker and controller', () => {
      expect(service('kafka').image).toMatch(/^apache\/kafka:/);
      expect(kafkaEnv('KAFKA_PROCESS_ROLES').split(',').sort()).toEqual(['broker', 'controller']);
      expect(kafkaEnv('KAFKA_CONTROLLER_QUORUM_VOTERS')).toMatch(
        new RegExp(
          `^${kafkaEnv('KAFKA_NODE_ID')}@[^:]+:${listeners(kafkaEnv('KAFKA_LISTENERS')).get('CONTROLLER')?.port}$`,
        ),
      );
      expect(kafkaEnv('KAFKA_CONTROLLER_LISTENER_NAMES')).toBe('CONTROLLER');
      expect(kafkaEnv('KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
      expect(kafkaEnv('KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS')).toBe('0');
      for (const variable of [
        'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
        'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
        'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
      ]) {
        expect(kafkaEnv(variable)).toBe('1');
      }
    });

    it('advertises the address the services and the topic set-up connect to', () => {
      const advertised = listeners(kafkaEnv('KAFKA_ADVERTISED_LISTENERS'));
      const bound = listeners(kafkaEnv('KAFKA_LISTENERS'));
      const client = advertised.get(kafkaEnv('KAFKA_INTER_BROKER_LISTENER_NAME'));
      expect(client).toBeDefined();
      expect(bound.get(kafkaEnv('KAFKA_INTER_BROKER_LISTENER_NAME'))?.port).toBe(client?.port);
      const address = `${client?.host}:${client?.port}`;
      for (const name of ['topics', ...SERVICES.map((s) => s.name)]) {
        expect(env(name, 'KAFKA_BROKERS')).toBe(address);
      }
      expect(healthcheckText('kafka')).toContain('kafka-broker-api-versions.sh');
      expect(healthcheckText('kafka')).toContain(address);
    });

    it('keeps its log directory in a named volume', () => {
      expect(service('kafka').volumes).toContain(`kafka-data:${kafkaEnv('KAFKA_LOG_DIRS')}`);
    });
  });

  describe('postgres', () => {
    it('creates the database of every service on first start', () => {
      expect(service('postgres').volumes).toContain(
        './deploy/docker/postgres-init:/docker-entrypoint-initdb.d:ro',
      );
      const script = read('deploy/docker/postgres-init/01-databases.sql');
      const created = [
        ...script.matchAll(/^\s*CREATE DATABASE\s+"?([a-z_][a-z0-9_]*)"?\s*;/gim),
      ].map((match) => match[1]);
      for (const { name } of WITH_DATABASE) {
        expect(created).toContain(env(name, 'DB_NAME'));
      }
      // One database per service that owns data, none for the others.
      expect(created.sort()).toEqual(WITH_DATABASE.map((s) => s.name).sort());
    });

    it('is healthy only once it accepts TCP connections', () => {
      expect(healthcheckText('postgres')).toMatch(/pg_isready -h 127\.0\.0\.1/);
    });
  });

  it('redis keeps an append-only file and answers PING when healthy', () => {
    expect(service('redis').command).toEqual(['redis-server', '--appendonly', 'yes']);
    expect(healthcheckText('redis')).toContain('redis-cli ping');
  });

  it('the topic set-up runs the compiled create-topics script once kafka is healthy', () => {
    const topics = service('topics');
    expect(topics.build?.dockerfile).toBe('deploy/docker/Dockerfile');
    expect(topics.command).toEqual(['node', 'dist/tools/stack/create-topics.js']);
    expect(existsSync(join(REPO_ROOT, 'tools/stack/create-topics.ts'))).toBe(true);
    expect(topics.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
  });

  it('keeps Kafka, PostgreSQL and Redis data in named volumes', () => {
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([
      'kafka-data',
      'postgres-data',
      'redis-data',
    ]);
    expect(service('postgres').volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(service('redis').volumes).toContain('redis-data:/data');
  });
});

describe('deploy/docker/Dockerfile', () => {
  const dockerfile = read('deploy/docker/Dockerfile');

  it('builds on node 20 and runs the chosen service as a non-root user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toContain('npm prune --omit=dev');
    expect(dockerfile).toMatch(/^ARG SERVICE/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('HTTP_HOST=0.0.0.0');
    expect(dockerfile).toContain('exec node dist/apps/$SERVICE/src/main.js');
  });

  it('accepts every app as SERVICE and knows its default port', () => {
    const accepted = /^\s+([a-z|]+)\) ;; \\$/m.exec(dockerfile)?.[1].split('|') ?? [];
    expect(accepted.sort()).toEqual(SERVICES.map((s) => s.name).sort());
    for (const { name, port } of SERVICES) {
      expect(dockerfile).toContain(`${name}:${port}`);
    }
  });

  it("holds the dashboard's page and ECharts, read-only for the service user", () => {
    expect(dockerfile).toContain(
      'COPY --from=build /app/apps/dashboard/public ./apps/dashboard/public',
    );
    expect(dockerfile).toContain('DASHBOARD_STATIC_DIR=/app/apps/dashboard/public');
    expect(existsSync(join(REPO_ROOT, 'apps/dashboard/public/index.html'))).toBe(true);
    // ECharts ships in node_modules; the build stage fails if pruning removed it.
    expect(dockerfile).toContain('node_modules/echarts/dist/echarts.min.js');
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toHaveProperty('echarts');
    // Copied before USER node, so root owns it and the service user cannot change it.
    expect(dockerfile.indexOf('./apps/dashboard/public')).toBeLessThan(
      dockerfile.indexOf('USER node'),
    );
  });

  it('checks liveness on /health', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", ".*\/health.*"\]$/m);
  });

  it('is built without local dependencies, output or state', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.stack', 'tmp', '.nx', 'coverage', '.git']) {
      expect(ignored).toContain(entry);
    }
  });
});
