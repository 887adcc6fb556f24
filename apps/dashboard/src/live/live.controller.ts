import { Controller, Query, Sse, type MessageEvent } from '@nestjs/common';
import { filter, fromEventPattern, interval, map, merge, of, type Observable } from 'rxjs';
import { CurrentPrincipal, regionPrefixOf, type Principal } from '@ecomlog/auth';
import type { IndicatorCellChangedV1 } from '@ecomlog/contracts';
import { ProblemException } from '@ecomlog/http';
import { prefixOfCode } from '@ecomlog/kernel';
import { DashboardEnv } from '../config';
import { IndicatorFeed } from './indicator-feed';
import { isVisibleTo, mayWatch, type LiveSubscription } from './live-filter';

/**
 * `GET /api/live?ou=<division code>`: Server-Sent Events of indicator cells under that division
 * (default: the official's whole region). The browser reads it with fetch, so the token travels in
 * the Authorization header like every other call (EventSource cannot send headers).
 *
 * Events: `ready` once ({ ou, divisionPrefix, regionPrefix }), then `indicator` per changed cell
 * (the IndicatorCellChangedV1 payload); a comment line every LIVE_HEARTBEAT_MS. Nest writes them
 * (with an `id:` line each) and ends the stream when the client leaves, which unsubscribes it from
 * the feed; on shutdown the platform closes open connections (see `exitGracefullyOnSignals`).
 */
@Controller('api/live')
export class LiveController {
  constructor(
    private readonly feed: IndicatorFeed,
    private readonly env: DashboardEnv,
  ) {}

  /** A bad or forbidden `ou` is thrown before any event, so it is answered as problem+json. */
  @Sse()
  stream(
    @CurrentPrincipal() principal: Principal,
    @Query('ou') ou: string | undefined,
  ): Observable<MessageEvent> {
    const region = regionPrefixOf(principal);
    const code = ou ?? region;
    if (!/^\d{0,12}$/.test(code) || (code.length === 12 && prefixOfCode(code) === '')) {
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
    return liveEvents(
      this.feed,
      code,
      { divisionPrefix: prefixOfCode(code), regionPrefix: region },
      this.env.LIVE_HEARTBEAT_MS,
    );
  }
}

/**
 * One client's events: `ready`, then the visible cells the feed passes on, with a heartbeat
 * comment (`: <time>`) so proxies and the browser see the connection alive. Unsubscribing stops
 * listening to the feed and the heartbeat.
 */
export function liveEvents(
  feed: Pick<IndicatorFeed, 'subscribe'>,
  ou: string,
  subscription: LiveSubscription,
  heartbeatMs: number,
): Observable<MessageEvent> {
  const cells = fromEventPattern<IndicatorCellChangedV1>(
    (listener: (cell: IndicatorCellChangedV1) => void) => feed.subscribe(listener),
    (_listener, unsubscribe: () => void) => unsubscribe(),
  );
  return merge(
    of<MessageEvent>({ type: 'ready', data: { ou, ...subscription } }),
    cells.pipe(
      filter((cell) => isVisibleTo(cell, subscription)),
      map((cell): MessageEvent => ({ type: 'indicator', data: cell })),
    ),
    interval(heartbeatMs).pipe(map((): MessageEvent => ({ comment: new Date().toISOString() }))),
  );
}
