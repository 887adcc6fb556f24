import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@ecomlog/auth';
import { metricsRegistry } from '@ecomlog/observability';
import { PROBLEM_CONTENT_TYPE } from '@ecomlog/http';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check';

/** Liveness, readiness (every check of READINESS_CHECKS passes) and Prometheus metrics. */
@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('health')
  @HttpCode(200)
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const results = await Promise.all(this.checks.map((check) => check.run()));
    const checks = Object.fromEntries(
      this.checks.map((check, i) => [check.name, results[i].value]),
    );
    const down = results.flatMap((result) => result.problems);
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
