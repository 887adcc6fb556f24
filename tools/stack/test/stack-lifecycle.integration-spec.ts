import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
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
 * leaves no process behind, and data survives a down/up cycle.
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
});
