/**
 * docker-compose.yml and the image it builds, checked by parsing (no Docker engine needed): the
 * services find Kafka, PostgreSQL and Redis under the compose names, wait for them and for the
 * topics, publish on 127.0.0.1 only, and use databases the init script creates; the dashboard
 * (no database) reaches the five services by their compose names and starts after them. Kafka has
 * the security of the local stack (SASL on every listener, OAUTHBEARER + PLAIN, ACLs only), the
 * passwords come from .env (required, never committed) and the topic and ACL set-up is the script
 * generated from libs/contracts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  allServiceAcls,
  allTopicDeclarations,
  PLATFORM_SERVICES,
  servicePrincipalName,
  topicConfigEntries,
  type KafkaAclGrant,
} from '@ecomlog/contracts';
import {
  COMPOSE_KAFKA_ADMIN_LIBRARY,
  COMPOSE_KAFKA_INIT_MOUNT,
  COMPOSE_KAFKA_INIT_SCRIPT,
  renderComposeKafkaInit,
} from './compose-kafka-init';
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
  user?: string;
  build?: ComposeBuild;
  entrypoint?: string[];
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

const INFRASTRUCTURE = ['kafka-jwks', 'kafka', 'postgres', 'redis'] as const;
const WITH_DATABASE = SERVICES.filter((s) => s.database);
const WITHOUT_DATABASE = SERVICES.filter((s) => !s.database);

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

// Merge keys (`<<: *service`) are part of the compose format.
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;

/**
 * Compose's interpolation with no variable set: `${VAR:-default}` is its default, a required
 * `${VAR:?message}` stands as `<VAR>` (the value .env must give); `$$` is `$`.
 */
function withDefaults(value: string): string {
  return value
    .replace(/(?<!\$)\$\{(\w+):?\?[^}]*\}/g, (_match, name: string) => `<${name}>`)
    .replace(
      /(?<!\$)\$\{(\w+)(?::?-([^}]*))?\}/g,
      (_match, _name: string, fallback?: string) => fallback ?? '',
    )
    .replace(/\$\$/g, '$');
}

/** The server.properties key the apache/kafka image makes of a KAFKA_* variable. */
function propertyOf(variable: string): string {
  return variable
    .replace(/^KAFKA_/, '')
    .replace(/[^_]_[^_]/g, (match) => match.replace('_', '.'))
    .replace(/___/g, '-')
    .replace(/__/g, '_')
    .toLowerCase();
}

/** The password variable (.env) of a static Kafka user: KAFKA_SVC_PARCELS_PASSWORD for svc-parcels. */
const passwordVariable = (user: string): string =>
  `KAFKA_${user.toUpperCase().replace(/-/g, '_')}_PASSWORD`;

/** The `user_<name>="<password>"` entries of a PlainLoginModule JAAS line. */
function plainUsers(jaas: string): Map<string, string> {
  return new Map([...jaas.matchAll(/\buser_([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
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
  it('declares the infrastructure, the topic and ACL set-up, the five services and the dashboard', () => {
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

  describe.each(SERVICES.map((s) => [s.name] as const))('service %s on Kafka', (name) => {
    const user = servicePrincipalName(name);

    it('signs in as its own static user svc-<app> with the password from .env', () => {
      expect(env(name, 'KAFKA_SASL_MECHANISM')).toBe('plain');
      expect(env(name, 'KAFKA_USERNAME')).toBe(user);
      // Required, no default: compose refuses to start without it, and no password is committed.
      expect(service(name).environment?.KAFKA_PASSWORD).toMatch(
        new RegExp(`^\\$\\{${passwordVariable(user)}:\\?[^}]+\\}$`),
      );
    });

    it('has that user and password on the broker', () => {
      const users = plainUsers(env('kafka', 'SASL_JAAS_CLIENT_PLAIN'));
      expect(users.get(user)).toBe(env(name, 'KAFKA_PASSWORD'));
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

    /** What the image writes into server.properties (the env config provider left unresolved). */
    const properties = (): Map<string, string> =>
      new Map(
        Object.keys(service('kafka').environment ?? {})
          .filter((variable) => /^KAFKA_/.test(variable))
          .filter((variable) => !['KAFKA_OPTS', 'KAFKA_HEAP_OPTS'].includes(variable))
          .map((variable) => [propertyOf(variable), kafkaEnv(variable)]),
      );
    /** A property, with `${env:NAME}` resolved as Kafka's EnvVarConfigProvider does. */
    const property = (key: string): string | undefined => {
      const value = properties().get(key);
      const indirect = value === undefined ? undefined : /^\$\{env:(\w+)\}$/.exec(value);
      return indirect ? kafkaEnv(indirect[1]) : value;
    };

    it('passes no broker setting whose value the image would drop (a value containing `=`)', () => {
      for (const [key, value] of properties()) {
        expect({ key, containsEquals: value.includes('=') }).toEqual({
          key,
          containsEquals: false,
        });
      }
      expect(property('config.providers')).toBe('env');
      expect(property('config.providers.env.class')).toBe(
        'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      );
      expect(kafkaEnv('KAFKA_OPTS')).toContain(
        '-Dorg.apache.kafka.automatic.config.providers=org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      );
    });

    it('requires SASL on every listener', () => {
      const protocols = new Map(
        kafkaEnv('KAFKA_LISTENER_SECURITY_PROTOCOL_MAP')
          .split(',')
          .map((entry) => entry.split(':') as [string, string]),
      );
      for (const name of listeners(kafkaEnv('KAFKA_LISTENERS')).keys()) {
        expect({ name, protocol: protocols.get(name) }).toEqual({
          name,
          protocol: 'SASL_PLAINTEXT',
        });
      }
    });

    it('has the security of the local stack (tools/stack/stack.sh write_kafka_config)', () => {
      const stackProperties = new Map(
        [...read('tools/stack/stack.sh').matchAll(/^([a-z][a-z0-9._-]+)=([^$\n]*)$/gm)].map(
          (m) => [m[1], m[2]] as const,
        ),
      );
      for (const key of [
        'listener.security.protocol.map',
        'controller.listener.names',
        'inter.broker.listener.name',
        'sasl.mechanism.inter.broker.protocol',
        'sasl.mechanism.controller.protocol',
        'listener.name.controller.sasl.enabled.mechanisms',
        'listener.name.client.sasl.enabled.mechanisms',
        'listener.name.client.oauthbearer.sasl.server.callback.handler.class',
        'authorizer.class.name',
        'allow.everyone.if.no.acl.found',
        'super.users',
      ]) {
        expect({ key, value: property(key) }).toEqual({ key, value: stackProperties.get(key) });
      }
      expect(property('listener.name.client.oauthbearer.sasl.jaas.config')).toBe(
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;',
      );
    });

    it('knows broker, admin and every svc-<app> as PLAIN users, passwords from .env', () => {
      const client = property('listener.name.client.plain.sasl.jaas.config') ?? '';
      const controller = property('listener.name.controller.plain.sasl.jaas.config') ?? '';
      const expected = ['broker', 'admin', ...PLATFORM_SERVICES.map(servicePrincipalName)];
      expect([...plainUsers(client).keys()].sort()).toEqual([...expected].sort());
      for (const [user, password] of plainUsers(client)) {
        expect(password).toBe(`<${passwordVariable(user)}>`);
      }
      // The broker signs in to itself (inter-broker and controller) as `broker`.
      for (const jaas of [client, controller]) {
        expect(jaas).toMatch(
          /^org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule required /,
        );
        expect(jaas).toContain(`username="broker" password="<${passwordVariable('broker')}>"`);
        expect(jaas.endsWith(';')).toBe(true);
      }
      expect([...plainUsers(controller).keys()]).toEqual(['broker']);
    });

    it('checks OAUTHBEARER tokens against the keys the registry writes into the shared volume', () => {
      const jwksFile = env('registry', 'KAFKA_JWKS_FILE');
      const url = property('listener.name.client.oauthbearer.sasl.oauthbearer.jwks.endpoint.url');
      expect(url).toBe(`file://${jwksFile}`);
      expect(kafkaEnv('KAFKA_OPTS')).toContain(
        `-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${url}`,
      );
      const dir = jwksFile.slice(0, jwksFile.lastIndexOf('/'));
      expect(service('kafka').volumes).toContain(`kafka-jwks:${dir}:ro`);
      expect(service('registry').volumes).toContain(`kafka-jwks:${dir}`);
      // The registry's issuer (AUTH_ISSUER) and the audience it adds to machine tokens.
      const issuer = /AUTH_ISSUER: string = '([^']+)'/.exec(read('libs/config/src/service-env.ts'));
      const audience = /KAFKA_TOKEN_AUDIENCE: string = '([^']+)'/.exec(
        read('apps/registry/src/config.ts'),
      );
      expect(property('sasl.oauthbearer.expected.issuer')).toBe(issuer?.[1]);
      expect(property('sasl.oauthbearer.expected.audience')).toBe(audience?.[1]);
      expect(read('apps/registry/src/config.ts')).toMatch(/^\s*KAFKA_JWKS_FILE\?: string;/m);
    });

    it('starts only once the key file exists (an empty key set until the registry writes it)', () => {
      const init = service('kafka-jwks');
      expect(init.image).toBe(service('kafka').image);
      expect(init.user).toBe('0:0');
      const script = (init.command ?? []).join(' ');
      const jwksFile = env('registry', 'KAFKA_JWKS_FILE');
      expect(script).toContain(`[ -s ${jwksFile} ] || echo '{"keys":[]}' > ${jwksFile}`);
      // The registry runs as node (uid 1000) and writes the file beside it, then renames it.
      expect(script).toContain('chown -R 1000:1000');
      expect(init.volumes).toEqual([`kafka-jwks:${jwksFile.slice(0, jwksFile.lastIndexOf('/'))}`]);
      expect(service('kafka').depends_on).toEqual({
        'kafka-jwks': { condition: 'service_completed_successfully' },
      });
    });

    it('is healthy only when the admin can sign in', () => {
      expect(healthcheckText('kafka')).toContain('--command-config');
      expect(healthcheckText('kafka')).toContain('username="admin"');
      expect(env('kafka', 'SASL_ADMIN_PASSWORD')).toBe(`<${passwordVariable('admin')}>`);
    });
  });

  describe('.env.example', () => {
    const example = read('.env.example');
    const required = [
      ...new Set([...read('docker-compose.yml').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1])),
    ].sort();

    it('lists every variable compose requires, with no value', () => {
      const listed = [...example.matchAll(/^(\w+)=(.*)$/gm)];
      expect(listed.map((m) => m[1]).sort()).toEqual(required);
      for (const [, name, value] of listed) {
        expect({ name, value }).toEqual({ name, value: '' });
      }
      expect(required).toEqual(
        ['broker', 'admin', ...PLATFORM_SERVICES.map(servicePrincipalName)]
          .map(passwordVariable)
          .sort(),
      );
    });

    it('is a template only: .env itself is neither committed nor built into an image', () => {
      expect(read('.gitignore').split('\n')).toContain('.env');
      expect(read('.dockerignore').split('\n')).toContain('.env');
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

  describe('topics (the topic and ACL set-up)', () => {
    const topics = service('topics');
    const script = read(COMPOSE_KAFKA_INIT_SCRIPT);
    const library = read(COMPOSE_KAFKA_ADMIN_LIBRARY);

    it("runs the generated script with Kafka's own tools once kafka is healthy", () => {
      expect(topics.image).toBe(service('kafka').image);
      expect(topics.volumes).toEqual([
        `./${COMPOSE_KAFKA_INIT_SCRIPT.slice(0, COMPOSE_KAFKA_INIT_SCRIPT.lastIndexOf('/'))}:${COMPOSE_KAFKA_INIT_MOUNT}:ro`,
      ]);
      expect(topics.entrypoint).toEqual([
        'bash',
        `${COMPOSE_KAFKA_INIT_MOUNT}/${COMPOSE_KAFKA_INIT_SCRIPT.split('/').pop()}`,
      ]);
      expect(topics.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
      expect(env('topics', 'SASL_ADMIN_PASSWORD')).toBe(`<${passwordVariable('admin')}>`);
    });

    it('is exactly what the generator makes of libs/contracts (regenerate: npm run deploy:manifests)', () => {
      expect(script).toBe(renderComposeKafkaInit());
    });

    it('creates every declared topic with its partitions and configuration', () => {
      const created = [...script.matchAll(/^topic (\S+) (\d+)((?: \S+)*)$/gm)].map((m) => ({
        name: m[1],
        partitions: Number(m[2]),
        config: Object.fromEntries(
          m[3]
            .trim()
            .split(' ')
            .filter(Boolean)
            .map((entry) => entry.split('=') as [string, string]),
        ),
      }));
      expect(created).toEqual(
        allTopicDeclarations().map((t) => ({
          name: t.name,
          partitions: t.partitions,
          config: topicConfigEntries(t),
        })),
      );
    });

    it('grants every service exactly its ACLs of kafka-access.ts', () => {
      const single = (grants: readonly KafkaAclGrant[]): string[] =>
        grants
          .flatMap((g) =>
            g.operations.map(
              (op) => `${g.principal} ${op} ${g.resourceType}:${g.resourceName}:${g.patternType}`,
            ),
          )
          .sort();
      const granted = [...script.matchAll(/^acl (\S+) (\S+) --resource-pattern-type (\S+)(.*)$/gm)]
        .flatMap((m) => {
          const [, principal, operations, patternType, rest] = m;
          const resources = [
            ...rest.matchAll(/--(topic|group|cluster)(?: ('[^']*'|[^\s-]\S*))?/g),
          ].map((r) => ({
            type: r[1],
            name: r[1] === 'cluster' ? 'kafka-cluster' : (r[2] ?? '').replace(/^'(.*)'$/, '$1'),
          }));
          return resources.flatMap((resource) =>
            operations
              .split(',')
              .map((op) => `${principal} ${op} ${resource.type}:${resource.name}:${patternType}`),
          );
        })
        .sort();
      expect(granted).toEqual(single(allServiceAcls()));
    });

    it('signs in as admin with settings that stay in the container', () => {
      expect(library).toContain('sasl.mechanism=PLAIN');
      expect(library).toContain('username="admin" password="${SASL_ADMIN_PASSWORD}"');
      expect(script).toMatch(/^set -euo pipefail$/m);
    });

    it('sources its hand-written half from the same mounted folder', () => {
      const folder = (path: string): string => path.slice(0, path.lastIndexOf('/'));
      expect(folder(COMPOSE_KAFKA_ADMIN_LIBRARY)).toBe(folder(COMPOSE_KAFKA_INIT_SCRIPT));
      expect(script).toContain('source "$(dirname "${BASH_SOURCE[0]}")/kafka-admin.sh"\n');
      expect(library).toMatch(/^topic\(\) \{$/m);
      expect(library).toMatch(/^acl\(\) \{$/m);
    });
  });

  it('keeps Kafka, PostgreSQL and Redis data in named volumes', () => {
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual([
      'kafka-data',
      'kafka-jwks',
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
