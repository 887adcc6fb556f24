import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { correlationMiddleware } from '@ecomlog/http';
import { proxyTarget, serviceProxy } from './service-proxy';

describe('proxyTarget', () => {
  it('maps /api/<service>/<path> to the service and its own path', () => {
    expect(proxyTarget('/api/sites/v1/coverage/gaps')).toEqual({
      service: 'sites',
      upstreamPath: '/v1/coverage/gaps',
    });
    expect(proxyTarget('/api/analytics')).toEqual({ service: 'analytics', upstreamPath: '/' });
    expect(proxyTarget('/api/live')).toBeNull();
    expect(proxyTarget('/api/other/v1/x')).toBeNull();
    expect(proxyTarget('/index.html')).toBeNull();
  });
});

describe('serviceProxy', () => {
  let upstream: Server;
  let front: Server;
  let frontUrl: string;
  const seen: { url?: string; authorization?: string; body?: string; cookie?: string } = {};

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        Object.assign(seen, {
          url: request.url,
          authorization: request.headers.authorization,
          cookie: request.headers.cookie,
          body,
        });
        response.writeHead(201, { 'content-type': 'application/json', 'x-internal': 'secret' });
        response.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const app = express();
    app.use(correlationMiddleware);
    app.use(
      serviceProxy(
        {
          registry: upstreamUrl,
          sites: upstreamUrl,
          parcels: upstreamUrl,
          funds: 'http://127.0.0.1:1',
          analytics: upstreamUrl,
        },
        5000,
      ),
    );
    app.use((_request, response) => {
      response.status(404).send('not proxied');
    });
    front = createServer(app);
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => front.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('streams method, path, query, body and the bearer token to the service, and its answer back', async () => {
    const response = await fetch(`${frontUrl}/api/parcels/v1/orders?limit=2`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer abc',
        'content-type': 'application/json',
        cookie: 'session=1',
      },
      body: JSON.stringify({ orders: [] }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('x-internal')).toBeNull();
    expect(seen).toEqual({
      url: '/v1/orders?limit=2',
      authorization: 'Bearer abc',
      cookie: undefined,
      body: '{"orders":[]}',
    });
  });

  it('answers a problem naming the service when it is not reachable', async () => {
    const response = await fetch(`${frontUrl}/api/funds/v1/programs`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as { detail: string };
    expect(body.detail).toContain('The funds service is not reachable');
  });

  it('leaves other paths to the application', async () => {
    const response = await fetch(`${frontUrl}/api/live`);
    expect(response.status).toBe(404);
  });
});
