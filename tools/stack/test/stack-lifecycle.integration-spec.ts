import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { freePort } from '@ecomlog/testing';

const run = promisify(execFile);
const STACK = join(__dirname, '..', 'stack.sh');

/**
 * A second, throwaway stack on free ports and its own directory: `up` is idempotent, `down`
 * leaves no process behind, and data survives a down/up cycle. A third directory on its ports is
 * refused, naming its processes: a stack never uses a server it did not start.
 */
describe('tools/stack/stack.sh lifecycle', () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecomlog-stack-'));
    // PostgreSQL runs as the postgres user when we are root: it must be able to enter the folder.
    chmodSync(dir, 0o755);
    env = {
      ...process.env,
      STACK_DIR: dir,
      KAFKA_PORT: String(await freePort()),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      PGPORT: String(await freePort()),
      REDIS_PORT: String(await freePort()),
      STACK_DATABASES: 'lifecycle_check',
    };
  });

  afterAll(async () => {
    await run('bash', [STACK, 'down'], { env }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const stack = (command: string) => run('bash', [STACK, command], { env, timeout: 240000 });
  const pg = () =>
    new Client({
      host: '127.0.0.1',
      port: Number(env.PGPORT),
      user: 'ecomlog',
      password: 'ecomlog',
      database: 'lifecycle_check',
    });
  async function processesUsing(directory: string): Promise<string[]> {
    const { stdout } = await run('ps', ['-eo', 'pid,args']);
    return stdout.split('\n').filter((line) => line.includes(directory));
  }
  /** `stack.sh up` in a new directory with these settings; its exit code and error output. */
  async function upElsewhere(
    settings: NodeJS.ProcessEnv,
  ): Promise<{ code: unknown; stderr: string }> {
    const other = mkdtempSync(join(tmpdir(), 'ecomlog-stack-other-'));
    chmodSync(other, 0o755);
    try {
      const result = await run('bash', [STACK, 'up'], {
        env: { ...env, ...settings, STACK_DIR: other },
        timeout: 60000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code?: unknown; stderr?: string }) => ({
          code: error.code,
          stderr: error.stderr ?? '',
        }),
      );
      expect(await processesUsing(other)).toEqual([]);
      return result;
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }

  it('starts, is idempotent, stops without leftovers and keeps the data', async () => {
    await stack('up');
    const again = await stack('up');
    expect(again.stdout).toMatch(/already running/);
    await stack('status');

    const client = pg();
    await client.connect();
    await client.query('CREATE TABLE kept (v text)');
    await client.query("INSERT INTO kept VALUES ('survives')");
    await client.end();
    const redis = new Redis(`redis://127.0.0.1:${env.REDIS_PORT}/0`);
    await redis.set('kept', 'survives');
    await redis.quit();

    await stack('down');
    expect(await processesUsing(dir)).toEqual([]);
    await expect(stack('status')).rejects.toMatchObject({ code: 1 });

    await stack('up');
    const reopened = pg();
    await reopened.connect();
    expect((await reopened.query('SELECT v FROM kept')).rows).toEqual([{ v: 'survives' }]);
    await reopened.end();
    const redisAgain = new Redis(`redis://127.0.0.1:${env.REDIS_PORT}/0`);
    expect(await redisAgain.get('kept')).toBe('survives');
    await redisAgain.quit();
  });

  it("refuses another stack's ports, naming its processes and the command that stops it", async () => {
    await stack('up');
    const refused = await upElsewhere({});
    expect(refused.code).toBe(1);
    for (const part of ['kafka', 'postgres', 'redis']) {
      const own = (await run('bash', [STACK, 'pid', part], { env })).stdout.trim();
      expect(refused.stderr).toContain(`${part} on 127.0.0.1:`);
      expect(refused.stderr).toContain(`pid ${own}`);
    }
    expect(refused.stderr).toContain(`of the stack in STACK_DIR=${dir}`);
    expect(refused.stderr).toContain(`STACK_DIR=${dir} bash`);
  });

  it('refuses a port held by any other process, naming it, and starts nothing', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const refused = await upElsewhere({
        KAFKA_PORT: String(await freePort()),
        KAFKA_CONTROLLER_PORT: String(await freePort()),
        PGPORT: String(await freePort()),
        REDIS_PORT: String(port),
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `redis on 127.0.0.1:${port} (REDIS_PORT): pid ${process.pid}, user `,
      );
      expect(refused.stderr).toMatch(/not a redis server; working directory \//);
      expect(refused.stderr).not.toMatch(/(kafka|postgres) on 127/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
