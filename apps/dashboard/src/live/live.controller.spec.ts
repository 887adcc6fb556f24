import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '@ecomlog/auth';
import type { IndicatorCellChangedV1 } from '@ecomlog/contracts';
import { ProblemDetailsFilter } from '@ecomlog/http';
import { createLogger } from '@ecomlog/observability';
import { DashboardEnv } from '../config';
import { IndicatorFeed, type CellListener } from './indicator-feed';
import { LiveController } from './live.controller';

/** The feed's listener side only: cells are offered by the test. */
class FakeFeed {
  readonly listeners = new Set<CellListener>();
  subscribe(listener: CellListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  offer(cell: IndicatorCellChangedV1): void {
    for (const listener of this.listeners) listener(cell);
  }
}

function cell(divisionCode: string, version: number): IndicatorCellChangedV1 {
  return {
    indicator: 'parcel_volume',
    divisionCode,
    period: '202611',
    scope: null,
    value: version,
    numerator: null,
    denominator: null,
    unit: 'count',
    version,
    computedAt: '2026-11-02T08:00:00+08:00',
  };
}

const official: Principal = {
  subject: 'u1',
  kind: 'official',
  roles: ['viewer'],
  regionPrefix: '990101',
};

/** A response body read as it arrives. */
function collect(body: ReadableStream<Uint8Array> | null): {
  text: () => string;
  until: (done: (text: string) => boolean) => Promise<string>;
} {
  let text = '';
  void (async () => {
    if (!body) return;
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += value;
      }
    } catch {
      // the client aborted, or the server closed the connection
    }
  })();
  return {
    text: () => text,
    until: async (done) => {
      for (let i = 0; i < 100 && !done(text); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return text;
    },
  };
}

/** Waits (up to 2 s) for the feed to have this many listeners. */
async function listenersToBe(feed: FakeFeed, count: number): Promise<void> {
  for (let i = 0; i < 100 && feed.listeners.size !== count; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(feed.listeners.size).toBe(count);
}

describe('GET /api/live (Server-Sent Events)', () => {
  const feed = new FakeFeed();
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [LiveController],
      providers: [
        { provide: IndicatorFeed, useValue: feed },
        { provide: DashboardEnv, useValue: { LIVE_HEARTBEAT_MS: 100 } },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    // Stands in for the platform's AuthGuard, which puts the token's principal on the request.
    app.use((request: Request & { principal?: Principal }, _: Response, next: NextFunction) => {
      request.principal = official;
      next();
    });
    app.useGlobalFilters(new ProblemDetailsFilter(createLogger('live-spec', 'silent')));
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('sends ready, the visible cells and a heartbeat, and stops listening when the client leaves', async () => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/live?ou=990101101000`, {
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const body = collect(response.body);

    const ready = await body.until((text) => text.includes('event: ready'));
    await listenersToBe(feed, 1);
    expect(ready).toContain(
      'event: ready\nid: 1\ndata: {"ou":"990101101000","divisionPrefix":"990101101","regionPrefix":"990101"}\n\n',
    );

    feed.offer(cell('990101102000', 1)); // another town: not sent
    feed.offer(cell('990101101000', 2));
    const rest = await body.until(
      (text) => text.includes('event: indicator') && /\n: \d{4}-\d\d-\d\dT[^\n]+\n\n/.test(text),
    );
    expect(rest).toContain(
      `event: indicator\nid: 2\ndata: ${JSON.stringify(cell('990101101000', 2))}\n\n`,
    );
    expect(rest).not.toContain('990101102000');
    // The heartbeat: a comment line with the time, no id (clients ignore it).
    expect(rest).toMatch(/\n\n: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\n\n/);

    controller.abort();
    await listenersToBe(feed, 0);
  });

  it('answers a bad or forbidden division with a problem before any event', async () => {
    const malformed = await fetch(`${baseUrl}/api/live?ou=99-01`);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    const outside = await fetch(`${baseUrl}/api/live?ou=990202000000`);
    expect(outside.status).toBe(403);
    expect(await outside.text()).toContain('Division 990202000000 is outside your region (990101)');
    expect(feed.listeners.size).toBe(0);
  });

  it('lets the server close while a stream is open once its connections are closed', async () => {
    const response = await fetch(`${baseUrl}/api/live`);
    const body = collect(response.body);
    expect(await body.until((text) => text.includes('event: ready'))).toContain(
      '"divisionPrefix":"990101"',
    );
    await listenersToBe(feed, 1);
    // What exitGracefullyOnSignals does before app.close(): the stream ends, the feed is let go.
    (app.getHttpServer() as Server).closeAllConnections();
    await listenersToBe(feed, 0);
  });
});
