import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '@ecomlog/auth';
import { KafkaGateway, consumerHealthOf, type ConsumerGroupStatus } from '@ecomlog/messaging';
import { metricsRegistry } from '@ecomlog/observability';
import { PROBLEM_CONTENT_TYPE } from '@ecomlog/http';
import { REDIS } from './tokens';

type CheckResult = 'up' | 'down';

async function probe(check: () => Promise<unknown>, timeoutMs = 2000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    const outcome = await Promise.race([check(), timeout]);
    return outcome === false ? 'down' : 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

function describeConsumer(group: ConsumerGroupStatus): string {
  return group.state === 'crashed'
    ? `consumer group ${group.groupId} crashed (${group.reason ?? 'no reason given'}) at ${group.since}`
    : `consumer group ${group.groupId} has not joined its group (waiting since ${group.since})`;
}

/** Liveness, readiness (every dependency reachable) and Prometheus metrics. */
@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaGateway,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('health')
  @HttpCode(200)
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const [database, kafka, redis] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.kafka.isReachable(), 4000),
      probe(async () => (await this.redis.ping()) === 'PONG'),
    ]);
    const consumers = consumerHealthOf(this.kafka).list();
    const checks = {
      database,
      kafka,
      redis,
      consumers: Object.fromEntries(consumers.map((group) => [group.groupId, group.state])),
    };
    const down = Object.entries({ database, kafka, redis })
      .filter(([, state]) => state === 'down')
      .map(([name]) => `${name} unreachable`);
    // A service whose consumer crashed or never joined its group answers HTTP but applies no
    // events: not ready, so an orchestrator restarts or routes around it.
    down.push(...consumers.filter((group) => group.state !== 'joined').map(describeConsumer));
    if (down.length === 0) {
      response.status(200).json({ status: 'ready', checks });
      return;
    }
    response
      .status(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: 'about:blank',
          title: 'Service unavailable',
          status: 503,
          detail: `Not ready: ${down.join('; ')}`,
          checks,
        }),
      );
  }

  @Get('metrics')
  async metrics(@Res() response: Response): Promise<void> {
    response.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  }
}
