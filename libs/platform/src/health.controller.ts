import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '@ecomlog/auth';
import { KafkaGateway } from '@ecomlog/messaging';
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
    const checks = { database, kafka, redis };
    const down = Object.entries(checks)
      .filter(([, state]) => state === 'down')
      .map(([name]) => name);
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
          detail: `Not ready: ${down.join(', ')} unreachable`,
          checks,
        }),
      );
  }

  @Get('metrics')
  async metrics(@Res() response: Response): Promise<void> {
    response.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  }
}
