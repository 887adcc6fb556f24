import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropDatabaseIfExists, ensureDatabaseExists } from '@ecomlog/persistence';
import { ServiceProcess, adminToken, stack, uniqueSuffix } from '@ecomlog/testing';

/**
 * The API contract: schemathesis (pinned in tools/api-contract, installed into a venv of its own)
 * runs every check against each service's /docs/openapi.json with an administrator's token —
 * documented statuses, content types and headers, response schemas, valid data accepted, invalid
 * data refused, undeclared methods 405, no server errors. Settings: tools/api-contract/
 * schemathesis.toml; SCHEMATHESIS_MAX_EXAMPLES [25] and SCHEMATHESIS_SEED [20261203] (a fixed
 * seed keeps CI reproducible; change it to explore).
 */
const SERVICES = ['registry', 'sites', 'parcels', 'funds', 'analytics'] as const;
const ROOT = join(__dirname, '..', '..');
const MAX_EXAMPLES = process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '25';
const SEED = process.env.SCHEMATHESIS_SEED ?? '20261203';

async function schemathesisBinary(): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'bash',
    [join(ROOT, 'tools', 'api-contract', 'ensure-schemathesis.sh')],
    { maxBuffer: 16 * 1024 * 1024, timeout: 600000 },
  );
  return stdout.trim().split('\n').pop() ?? '';
}

/** One service's run may take this long; a generator stuck on a schema is stopped and named. */
const RUN_TIMEOUT_MS = 240000;

/** Runs schemathesis to its end; resolves with its exit code and output. */
function runSchemathesis(
  binary: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', LANG: 'C.UTF-8' },
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `schemathesis did not finish within ${RUN_TIMEOUT_MS / 1000} s (a schema it cannot generate data for?); its output so far:\n${output}`,
        ),
      );
    }, RUN_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the OpenAPI documents say exactly what each service accepts and answers (schemathesis, all checks)', () => {
  const suffix = uniqueSuffix();
  const processes = new Map<string, ServiceProcess>();
  const workDir = mkdtempSync(join(tmpdir(), 'ecomlog-api-contract-'));
  let binary = '';
  let token = '';

  beforeAll(async () => {
    binary = await schemathesisBinary();
    for (const service of SERVICES) {
      const database = `e2e_contract_${service}_${suffix}`;
      await ensureDatabaseExists({ ...stack.postgres, database });
    }
    const registry = await ServiceProcess.create('registry', `e2e_contract_registry_${suffix}`, {
      CONSUMER_GROUP_PREFIX: `e2e-contract-${suffix}.`,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    processes.set('registry', registry);
    for (const service of SERVICES.filter((s) => s !== 'registry')) {
      processes.set(
        service,
        await ServiceProcess.create(service, `e2e_contract_${service}_${suffix}`, {
          AUTH_JWKS_URL: registry.jwksUrl,
          CONSUMER_GROUP_PREFIX: `e2e-contract-${suffix}.`,
          RATE_LIMIT_PER_MINUTE: '0',
          ...(service === 'parcels' ? { CARRIER_DOORS_ENABLED: 'false' } : {}),
        }),
      );
    }
    await Promise.all([...processes.values()].map((p) => p.start()));
    token = await adminToken(registry);
  });

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    for (const service of SERVICES) {
      await dropDatabaseIfExists({
        ...stack.postgres,
        database: `e2e_contract_${service}_${suffix}`,
      });
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  it.each(SERVICES)(
    '%s: 0 failures',
    async (service) => {
      const base = processes.get(service)?.baseUrl ?? '';
      const { code, output } = await runSchemathesis(
        binary,
        [
          '--config-file',
          join(ROOT, 'tools', 'api-contract', 'schemathesis.toml'),
          'run',
          `${base}/docs/openapi.json`,
          '--checks',
          'all',
          '--header',
          `Authorization: Bearer ${token}`,
          '--max-examples',
          MAX_EXAMPLES,
          '--seed',
          SEED,
          '--no-color',
        ],
        workDir,
      );
      if (code !== 0) throw new Error(`schemathesis found failures on ${service}:\n${output}`);
      const figures = schemathesisFigures(output);
      // The figures in the test log, also when it passes. One line of our own: schemathesis's
      // pytest-style closing rule ("=== 3 warnings in 12s ===") would read to log scanners as a
      // pytest run that collected no test.
      console.log(`schemathesis ${service}: ${figures}`);
      expect(figures).toMatch(/^\d+ generated, \d+ passed/);
    },
    RUN_TIMEOUT_MS + 30000,
  );
});

/** "2206 generated, 2206 passed, 24 skipped; warnings: …" from schemathesis's summary. */
function schemathesisFigures(output: string): string {
  const summary = output.slice(output.lastIndexOf('SUMMARY'));
  const cases = /Test cases:\s*\n\s*([^\n]+)/.exec(summary)?.[1]?.trim() ?? 'no test-case figures';
  const warnings = [...summary.matchAll(/⚠️\s*([^\n]+)/g)].map((m) => m[1].trim());
  return warnings.length > 0 ? `${cases}; warnings: ${warnings.join('; ')}` : cases;
}
