import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { ServiceProcess, stack, uniqueSuffix } from '@ecomlog/testing';

const SERVICES = ['registry', 'sites', 'parcels', 'funds', 'analytics'] as const;

/** Every service boots on its own fresh database, serves its operational endpoints, and stops cleanly. */
describe('each service boots, serves /health /ready /docs /metrics, and stops on SIGTERM', () => {
  const suffix = uniqueSuffix();
  const processes = new Map<string, ServiceProcess>();

  beforeAll(async () => {
    for (const service of SERVICES) {
      const database = `e2e_${service}_${suffix}`;
      await ensureDatabaseExists({ ...stack.postgres, database });
      processes.set(
        service,
        await ServiceProcess.create(service, database, { CONSUMER_GROUP_PREFIX: `e2e-${suffix}.` }),
      );
    }
    await Promise.all([...processes.values()].map((p) => p.start()));
  });

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    for (const service of SERVICES) {
      await dropDatabaseIfExists({ ...stack.postgres, database: `e2e_${service}_${suffix}` });
    }
  });

  it.each(SERVICES)('%s is live, ready, documented and measured', async (service) => {
    const base = processes.get(service)?.baseUrl ?? '';

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    const readiness = (await ready.json()) as {
      status: string;
      checks: { consumers: Record<string, string> };
    };
    expect(readiness).toEqual({
      status: 'ready',
      checks: { database: 'up', kafka: 'up', redis: 'up', consumers: expect.any(Object) },
    });
    // Every consumer group of the service has joined (a crashed or missing one would be 503).
    expect(Object.values(readiness.checks.consumers).every((state) => state === 'joined')).toBe(
      true,
    );

    const docsPage = await fetch(`${base}/docs`);
    expect(docsPage.status).toBe(200);
    expect(await docsPage.text()).toContain('swagger');
    const document = (await (await fetch(`${base}/docs/openapi.json`)).json()) as {
      openapi: string;
      info: { title: string };
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title.toLowerCase()).toContain(service);
    const negotiated = await fetch(`${base}/docs`, { headers: { accept: 'application/json' } });
    expect(((await negotiated.json()) as { openapi: string }).openapi).toBe(document.openapi);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds');
    expect(metrics).toContain('process_cpu_seconds_total');

    const missing = await fetch(`${base}/v1/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('every service exits 0 on SIGTERM', async () => {
    const codes = await Promise.all([...processes.values()].map((p) => p.stop()));
    expect(codes).toEqual(SERVICES.map(() => 0));
  });
});
