import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@ecomlog/auth';
import { PROBLEM_CONTENT_TYPE } from '@ecomlog/http';
import { KafkaGateway } from '@ecomlog/messaging';
import { metricsRegistry } from '@ecomlog/observability';
import { IndicatorFeed } from '../live/indicator-feed';

async function within<T>(work: Promise<T>, timeoutMs: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness, readiness and metrics. The dashboard has no database or Redis, so ready means: Kafka
 * answers and the live feed is consuming. The services behind the proxy are not checked: the page
 * shows which of them is unavailable, in words, and a dashboard with one service down is still
 * worth serving.
 */
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly kafka: KafkaGateway,
    private readonly feed: IndicatorFeed,
  ) {}

  @Get('health')
  @HttpCode(200)
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const kafka = (await within(this.kafka.isReachable(), 4000)) === true ? 'up' : 'down';
    const liveFeed = this.feed.isRunning ? 'up' : 'down';
    const checks = { kafka, liveFeed };
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
          detail: `Not ready: ${down.join(', ')} down`,
          checks,
        }),
      );
  }

  @Get('metrics')
  async metrics(@Res() response: Response): Promise<void> {
    response.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  }
}
