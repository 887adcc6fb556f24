import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { serviceKafkaEnv, stack, stackDatabaseEnv } from './stack-settings';
import { waitFor } from './wait-for';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * One built service (dist/apps/<name>) run as a real OS process against the local stack, so a
 * test can SIGKILL it like a crash would and start it again on the same database.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  readonly baseUrl: string;

  private constructor(
    readonly service: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Where this registry publishes its token keys (pass it as AUTH_JWKS_URL to other services). */
  get jwksUrl(): string {
    return `${this.baseUrl}/.well-known/jwks.json`;
  }

  static async create(
    service: string,
    database: string,
    extraEnv: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const port = await freePort();
    const logDir = join(process.cwd(), 'tmp', 'e2e-logs');
    mkdirSync(logDir, { recursive: true });
    return new ServiceProcess(
      service,
      port,
      {
        HTTP_PORT: String(port),
        ...stackDatabaseEnv(database),
        ...serviceKafkaEnv(service),
        REDIS_URL: stack.redisUrl,
        LOG_LEVEL: 'warn',
        OUTBOX_POLL_MS: '100',
        // A registry verifies its own tokens; other services are told where a registry is.
        ...(service === 'registry'
          ? { AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` }
          : {}),
        ...extraEnv,
      },
      join(logDir, `${service}-${database}.log`),
    );
  }

  async start(): Promise<void> {
    const entry = join(process.cwd(), 'dist', 'apps', this.service, 'src', 'main.js');
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const crashed = this.exited.then(() => {
      throw new Error(
        `${this.service} exited during start-up with code ${child.exitCode}; see ${this.logFile}`,
      );
    });
    const ready = waitFor(
      `${this.service} /ready on port ${this.port} (log: ${this.logFile})`,
      async () => {
        const response = await fetch(`${this.baseUrl}/ready`);
        return response.status === 200;
      },
      { timeoutMs: 60000, intervalMs: 250 },
    );
    crashed.catch(() => undefined);
    await Promise.race([ready, crashed]);
  }

  /** Runs one of the service's command-line tools (dist/apps/<service>/src/cli/<name>.js) on its database. */
  async runCli(name: string, args: string[]): Promise<string> {
    const script = join(process.cwd(), 'dist', 'apps', this.service, 'src', 'cli', `${name}.js`);
    const { stdout } = await promisify(execFile)(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
    });
    return stdout;
  }

  /** Like a crash: no shutdown hooks run. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop, as an orchestrator would. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    await this.exited;
    return this.child.exitCode;
  }
}
