/**
 * Where the time goes during an end-to-end run: once a second the lag of each stage (parcels'
 * scan intake, analytics' lifecycle and order consumers, cells waiting for the publisher, unsent
 * outbox rows) and the CPU of each process; ten times a second the statements PostgreSQL is
 * running for the run's databases, and the last statement of transactions left idle (waiting for
 * their client): a sampling profile, the share of samples a statement is seen in is the share of
 * wall time it is busy. Reads only the run's own processes and databases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import type { KafkaGateway } from '@ecomlog/messaging';
import { stack } from '@ecomlog/testing';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** The profiler's own connections, left out of what it measures. */
const ME = 'bench-profiler';

export interface ProfileSample {
  at: number;
  /** Scan messages on the run's topic not yet stored by parcels. */
  scanLag: number;
  parcelsOutbox: number;
  /** analytics.parcels / analytics.orders lag from GET /v1/analytics/lag. */
  lifecycleLag: number;
  ordersLag: number;
  pendingCells: number;
  analyticsOutbox: number;
  /** CPU % of one core since the previous sample. */
  cpu: Record<string, number>;
}

export interface ProfileTargets {
  kafka: KafkaGateway;
  analyticsUrl: string;
  databases: { parcels: string; analytics: string };
  scansTopic: string;
  scanGroup: string;
}

function ticksOf(pid: number): number {
  try {
    // Fields after the command (which may hold spaces): state is field 3; utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The pid of a node process started with DB_NAME=<database>, or of the Kafka broker. */
function findPid(matches: (cmdline: string, environ: string) => boolean): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (matches(cmdline, environ)) return Number(entry);
    } catch {
      // gone or not ours to read
    }
  }
  return null;
}

export class Profiler {
  readonly samples: ProfileSample[] = [];
  /** `db | state/wait | statement` → samples seen. */
  readonly statements = new Map<string, number>();
  statementSamples = 0;
  private readonly db = new Client({
    ...stack.postgres,
    database: 'postgres',
    application_name: ME,
  });
  private readonly parcelsDb: Client;
  private readonly analyticsDb: Client;
  private readonly pids: Record<string, number | null> = {};
  private readonly lastTicks = new Map<string, number>();
  private lastAt = 0;
  private lastSelf = process.cpuUsage();
  private timers: NodeJS.Timeout[] = [];
  private busy = { slow: false, fast: false };

  constructor(private readonly targets: ProfileTargets) {
    const settings = { ...stack.postgres, application_name: ME };
    this.parcelsDb = new Client({ ...settings, database: targets.databases.parcels });
    this.analyticsDb = new Client({ ...settings, database: targets.databases.analytics });
  }

  async start(): Promise<void> {
    for (const db of [this.db, this.parcelsDb, this.analyticsDb]) {
      db.on('error', () => undefined); // a lost connection only loses samples
      await db.connect();
    }
    const { parcels, analytics } = this.targets.databases;
    for (const [name, database] of Object.entries({ parcels, analytics })) {
      this.pids[name] = findPid(
        (cmdline, environ) =>
          cmdline.includes(`apps/${name}/src/main.js`) &&
          environ.split('\0').includes(`DB_NAME=${database}`),
      );
    }
    this.pids.kafka = findPid((cmdline) => cmdline.includes('kafka.Kafka'));
    this.lastAt = Date.now();
    await this.cpu();
    this.timers.push(setInterval(() => void this.guard('slow', () => this.sample()), 1000));
    this.timers.push(
      setInterval(() => void this.guard('fast', () => this.sampleStatements()), 100),
    );
  }

  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    await Promise.all(
      [this.db, this.parcelsDb, this.analyticsDb].map((db) => db.end().catch(() => undefined)),
    );
  }

  private async guard(kind: 'slow' | 'fast', work: () => Promise<void>): Promise<void> {
    if (this.busy[kind]) return;
    this.busy[kind] = true;
    try {
      await work();
    } catch {
      // a missed sample is no reason to stop the benchmark
    } finally {
      this.busy[kind] = false;
    }
  }

  private async backendPids(database: string): Promise<number[]> {
    const { rows } = await this.db.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name <> $2',
      [database, ME],
    );
    return rows.map((r) => r.pid);
  }

  /** CPU % per component since the last call (PostgreSQL: the run's backends of each database). */
  private async cpu(): Promise<Record<string, number>> {
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.lastAt) / 1000);
    this.lastAt = now;
    const result: Record<string, number> = {};
    const measure = (name: string, pids: number[]): void => {
      let delta = 0;
      for (const pid of pids) {
        const key = `${name}:${pid}`;
        const ticks = ticksOf(pid);
        delta += ticks - (this.lastTicks.get(key) ?? ticks);
        this.lastTicks.set(key, ticks);
      }
      result[name] = Math.round((delta / TICKS_PER_SECOND / seconds) * 100);
    };
    for (const name of ['parcels', 'analytics', 'kafka']) {
      const pid = this.pids[name];
      if (pid) measure(name, [pid]);
    }
    const { parcels, analytics } = this.targets.databases;
    measure('pg parcels', await this.backendPids(parcels));
    measure('pg analytics', await this.backendPids(analytics));
    const self = process.cpuUsage();
    result.bench = Math.round(
      ((self.user + self.system - this.lastSelf.user - this.lastSelf.system) / 1e6 / seconds) * 100,
    );
    this.lastSelf = self;
    return result;
  }

  private async sample(): Promise<void> {
    const { kafka, analyticsUrl, scansTopic, scanGroup } = this.targets;
    const ends = await kafka.withAdmin((admin) => admin.fetchTopicOffsets(scansTopic));
    const { parcelsDb, analyticsDb } = this;
    {
      const [offsets, parcelsOutbox, analyticsOutbox, lag] = await Promise.all([
        parcelsDb.query<{ n: string }>(
          'SELECT coalesce(sum(next_offset), 0)::text AS n FROM consumer_offset WHERE consumer_group = $1',
          [scanGroup],
        ),
        parcelsDb.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL',
        ),
        analyticsDb.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL',
        ),
        fetch(`${analyticsUrl}/v1/analytics/lag`).then(
          (r) =>
            r.json() as Promise<{
              pendingCells: number;
              consumers: { group: string; lag: number }[];
            }>,
        ),
      ]);
      const high = ends.reduce((sum, e) => sum + Number(e.high), 0);
      const lagOf = (suffix: string): number =>
        lag.consumers.find((c) => c.group.endsWith(suffix))?.lag ?? NaN;
      this.samples.push({
        at: Date.now(),
        scanLag: Math.max(0, high - Number(offsets.rows[0].n)),
        parcelsOutbox: parcelsOutbox.rows[0].n,
        lifecycleLag: lagOf('analytics.parcels'),
        ordersLag: lagOf('analytics.orders'),
        pendingCells: lag.pendingCells,
        analyticsOutbox: analyticsOutbox.rows[0].n,
        cpu: await this.cpu(),
      });
    }
  }

  private async sampleStatements(): Promise<void> {
    const { parcels, analytics } = this.targets.databases;
    const { rows } = await this.db.query<{ datname: string; state: string; query: string }>(
      `SELECT datname,
              CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'cpu')
                   ELSE state || ' after' END AS state,
              query
       FROM pg_stat_activity
       WHERE datname = ANY($1::text[]) AND state IN ('active', 'idle in transaction')
         AND application_name <> $2`,
      [[parcels, analytics], ME],
    );
    this.statementSamples += 1;
    for (const row of rows) {
      const database = row.datname === parcels ? 'parcels' : 'analytics';
      const statement = row.query.replace(/\s+/g, ' ').trim().slice(0, 110);
      const key = `${database} | ${row.state} | ${statement}`;
      this.statements.set(key, (this.statements.get(key) ?? 0) + 1);
    }
  }
}
