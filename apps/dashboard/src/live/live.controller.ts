import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, regionPrefixOf, type Principal } from '@ecomlog/auth';
import { ProblemException } from '@ecomlog/http';
import { DashboardEnv } from '../config';
import { IndicatorFeed } from './indicator-feed';
import { divisionPrefix, isVisibleTo, mayWatch, type LiveSubscription } from './live-filter';

/**
 * `GET /api/live?ou=<division code>`: Server-Sent Events of indicator cells under that division
 * (default: the official's whole region). The browser reads it with fetch, so the token travels in
 * the Authorization header like every other call (EventSource cannot send headers).
 *
 * Events: `ready` once ({ ou, divisionPrefix, regionPrefix }), then `indicator` per changed cell
 * (the IndicatorCellChangedV1 payload); a comment line every LIVE_HEARTBEAT_MS.
 */
@Controller('api/live')
export class LiveController {
  constructor(
    private readonly feed: IndicatorFeed,
    private readonly env: DashboardEnv,
  ) {}

  @Get()
  stream(
    @CurrentPrincipal() principal: Principal,
    @Query('ou') ou: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const region = regionPrefixOf(principal);
    const code = ou ?? region;
    if (!/^\d{0,12}$/.test(code) || (code.length === 12 && divisionPrefix(code) === '')) {
      throw new ProblemException(
        400,
        'invalid-division-code',
        'Invalid division code',
        `ou "${code}" is not a division code; pass a 12-digit code such as 370982000000.`,
      );
    }
    if (!mayWatch(region, code)) {
      throw new ProblemException(
        403,
        'outside-region',
        'Outside your region',
        `Division ${code} is outside your region (${region}); watch a division inside it.`,
      );
    }
    const subscription: LiveSubscription = {
      divisionPrefix: divisionPrefix(code),
      regionPrefix: region,
    };

    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // Tells a buffering reverse proxy (nginx) to pass events through as they come.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();

    const send = (event: string, data: unknown): void => {
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('ready', { ou: code, ...subscription });
    const unsubscribe = this.feed.subscribe((cell) => {
      if (isVisibleTo(cell, subscription)) send('indicator', cell);
    });
    const heartbeat = setInterval(
      () => response.write(`: ${new Date().toISOString()}\n\n`),
      this.env.LIVE_HEARTBEAT_MS,
    );
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }
}
