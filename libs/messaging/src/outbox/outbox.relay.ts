import { Client } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AppLogger } from '@ecomlog/observability';
import { outboxBacklog, outboxPublished, outboxPublishFailures } from '@ecomlog/observability';
import type { OutgoingRecord } from '../kafka/kafka-gateway';
import { OUTBOX_CHANNEL } from './outbox.writer';

export interface EventPublisher {
  publish(records: OutgoingRecord[]): Promise<void>;
}

export interface OutboxRelayOptions {
  pollIntervalMs: number;
  batchSize: number;
  /** Published rows are kept this long for inspection, then deleted. */
  retainPublishedMs: number;
  /** Connection settings for the LISTEN connection (null: poll only). */
  listen: { host: string; port: number; user: string; password: string; database: string } | null;
}

interface PendingRow {
  sequence: string;
  topic: string;
  message_key: string;
  payload: object;
  headers: Record<string, string>;
}

/**
 * Publishes outbox rows in commit order. Any number of instances may run: the one holding a
 * session-level advisory lock (on a connection of its own) publishes, the others keep trying to
 * take it, so one instance publishes at a time and per-key order (the order of `sequence`) is
 * kept. No database transaction stays open while Kafka acknowledges a batch: rows are read,
 * published, then marked in statements of their own. If the leader's lock connection is lost
 * mid-batch, another instance may publish the same rows again: delivery is at least once, and
 * consumers are idempotent (versions, fact ids).
 */
export class OutboxRelay {
  /** Arbitrary constant shared by all relays of one database. */
  static readonly LOCK_ID = 7_340_001;

  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private listener?: Client;
  private lastCleanup = 0;
  /** The connection holding the advisory lock while this instance is the publisher. */
  private leadership?: QueryRunner;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly logger: AppLogger,
    private readonly options: OutboxRelayOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  /** Publishes what is pending now, then stops (graceful shutdown). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    try {
      await this.drain();
    } catch (error) {
      this.logger.warn(
        { err: error },
        'outbox not fully flushed at shutdown; the next start publishes the rest',
      );
    } finally {
      await this.resign();
    }
  }

  nudge(): void {
    this.wake?.();
  }

  /** Publishes until nothing is pending; returns how many rows it published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      if (published === 0) return total;
      total += published;
    }
  }

  async publishBatch(): Promise<number> {
    if (!(await this.lead())) return 0;
    const rows = await this.dataSource.query<PendingRow[]>(
      `SELECT sequence, topic, message_key, payload, headers FROM outbox_event
       WHERE published_at IS NULL ORDER BY sequence LIMIT $1`,
      [this.options.batchSize],
    );
    if (rows.length === 0) return 0;
    await this.publisher.publish(
      rows.map((row) => ({
        topic: row.topic,
        key: row.message_key,
        value: JSON.stringify(row.payload),
        headers: row.headers,
      })),
    );
    await this.dataSource.query(
      'UPDATE outbox_event SET published_at = now(), attempts = attempts + 1 WHERE sequence = ANY($1::bigint[])',
      [rows.map((row) => row.sequence)],
    );
    for (const row of rows) outboxPublished.inc({ topic: row.topic });
    return rows.length;
  }

  /** True while this instance holds the publisher's lock; tries to take it when it does not. */
  private async lead(): Promise<boolean> {
    if (this.leadership) {
      try {
        await this.leadership.query('SELECT 1');
        return true;
      } catch {
        // The lock connection is gone, and the lock with it: another instance may lead now.
        await this.resign();
        return false;
      }
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        OutboxRelay.LOCK_ID,
      ])) as { locked: boolean }[];
      if (lock.locked) {
        this.leadership = runner;
        return true;
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'outbox relay could not try the publisher lock');
    }
    await runner.release().catch(() => undefined);
    return false;
  }

  private async resign(): Promise<void> {
    const runner = this.leadership;
    this.leadership = undefined;
    if (!runner) return;
    await runner
      .query('SELECT pg_advisory_unlock($1)', [OutboxRelay.LOCK_ID])
      .catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const published = await this.drain();
        failures = 0;
        await this.cleanup();
        await this.measureBacklog();
        if (published === 0) await this.sleep(this.options.pollIntervalMs);
      } catch (error) {
        failures += 1;
        outboxPublishFailures.inc();
        this.logger.error({ err: error, failures }, 'outbox relay could not publish; retrying');
        await this.recordFailure(error).catch(() => undefined);
        await this.sleep(Math.min(30000, this.options.pollIntervalMs * 2 ** Math.min(failures, 7)));
      }
    }
  }

  private backlogMeasuredAt = 0;

  /** The backlog gauge, at most every 5 s (a count over the partial index of unpublished rows). */
  private async measureBacklog(): Promise<void> {
    if (Date.now() - this.backlogMeasuredAt < 5000) return;
    this.backlogMeasuredAt = Date.now();
    const [row] = await this.dataSource.query<{ pending: string }[]>(
      'SELECT count(*) AS pending FROM outbox_event WHERE published_at IS NULL',
    );
    outboxBacklog.set(Number(row.pending));
  }

  private async recordFailure(error: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_event SET attempts = attempts + 1, last_error = $1
       WHERE sequence = (SELECT min(sequence) FROM outbox_event WHERE published_at IS NULL)`,
      [error instanceof Error ? error.message : String(error)],
    );
  }

  private async cleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60000) return;
    this.lastCleanup = now;
    await this.dataSource.query(
      `DELETE FROM outbox_event WHERE published_at IS NOT NULL AND published_at < now() - ($1::int * interval '1 millisecond')`,
      [this.options.retainPublishedMs],
    );
  }

  private async listen(): Promise<void> {
    if (!this.options.listen) return;
    const client = new Client({ ...this.options.listen, application_name: 'outbox-relay-listen' });
    client.on('notification', () => this.wake?.());
    // A lost LISTEN connection only costs latency: polling still publishes everything.
    client.on('error', (error) =>
      this.logger.warn({ err: error }, 'outbox LISTEN connection lost; polling only'),
    );
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox LISTEN unavailable; polling only');
      await client.end().catch(() => undefined);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
